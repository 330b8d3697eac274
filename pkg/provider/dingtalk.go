package provider

import "github.com/ssoctl/ssoctl/pkg/config"

// dingtalk is DingTalk's new OAuth 2.0 (api.dingtalk.com), which x/oauth2 cannot speak: a JSON token
// request, camelCase fields and a custom userinfo header.
func dingtalk() Preset {
	return Preset{
		Type:          config.TypeDingTalk,
		Title:         "DingTalk",
		AuthorizeURL:  "https://login.dingtalk.com/oauth2/auth",
		TokenURL:      "https://api.dingtalk.com/v1.0/oauth2/userAccessToken",
		UserinfoURL:   "https://api.dingtalk.com/v1.0/contact/users/me",
		DefaultScopes: []string{"openid"},
		PKCE:          PKCEUnknown,
		ClientAuth:    AuthJSONBody,
		MappingType:   config.TypeDingTalk,
		Required:      secretRequired(),
		StableID:      "unionId",
		Notes: []string{
			"client ID is the app's AppKey and the secret its AppSecret",
			"the code arrives in the callback as query parameter authCode, not code",
			"the token request is JSON {clientId, clientSecret, code, grantType}; userinfo needs header x-acs-dingtalk-access-token",
			"unionId is stable across the developer organization's apps, openId only within one app",
			"the app needs the address book's personal information read permission; mobile and email need their own",
		},
	}
}
