package provider

import "github.com/ssoctl/ssoctl/pkg/config"

// lark is Lark/Feishu with the current v2 token endpoint, which takes RFC 6749's fields as a JSON
// body; the legacy v1 flow (app_access_token first) runs when token_url names a v1 endpoint.
func lark() Preset {
	return Preset{
		Type:          config.TypeLark,
		Title:         "Lark / Feishu",
		AuthorizeURL:  "https://accounts.feishu.cn/open-apis/authen/v1/authorize",
		TokenURL:      "https://open.feishu.cn/open-apis/authen/v2/oauth/token",
		UserinfoURL:   "https://open.feishu.cn/open-apis/authen/v1/user_info",
		DefaultScopes: []string{},
		PKCE:          PKCEUnknown,
		ClientAuth:    AuthJSONBody,
		MappingType:   config.TypeLark,
		Required:      secretRequired(),
		StableID:      "data.union_id",
		Notes: []string{
			"client ID is the app's App ID and the secret its App Secret",
			"userinfo is wrapped as {code, msg, data}: mapping rules read under $.data, and code != 0 is a failure even with HTTP 200",
			"email and mobile are admin-imported and unverified: never use them as the login identity",
			"Lark (international) hosts are open.larksuite.com and accounts.larksuite.com: override the endpoints",
			"a refresh token comes only with scope offline_access",
		},
	}
}
