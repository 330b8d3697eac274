package clientlibs_test

var lobeHub2 = appSpec{name: "lobehub2", kind: "lobechat", version: "2", redirectPath: "/api/auth/oauth2/callback/generic-oidc", scopes: []string{"openid", "profile", "email"}}
var invenTree = appSpec{name: "inventree", kind: "inventree", version: "", redirectPath: "/accounts/oidc/login/callback/", scopes: []string{"openid", "profile", "email", "groups"}}
