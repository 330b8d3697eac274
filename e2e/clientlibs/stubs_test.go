package clientlibs_test

var invenTree = appSpec{name: "inventree", kind: "inventree", version: "", redirectPath: "/accounts/oidc/login/callback/", scopes: []string{"openid", "profile", "email", "groups"}}
