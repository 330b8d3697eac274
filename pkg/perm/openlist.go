package perm

// openlistScheme is OpenList's User.Permission as of OpenList v4.2.5 (internal/model/user.go: the
// bit comment on Permission and the Can* functions, checked as (permission>>bit)&1). Bits 0 to 13
// are AList's, with AList's names; bit 14 is "can share" and bit 15 "can customize share id"
// (CanShare, CanCustomizeShareID), where AList has the path limit and MCP read. OpenList has no
// roles table: the user's own sum is checked (server/handles/fsmanage.go FsMkdir:
// user.CanWriteContent()).
func openlistScheme() *Scheme {
	a := alistBits()
	s := &Scheme{Name: "openlist"}
	for _, b := range a.Bits[:14] {
		b.Since = "v4"
		s.Bits = append(s.Bits, b)
	}
	s.Bits = append(s.Bits,
		Bit{Index: 14, Value: 16384, Name: "share", Key: "share", Meaning: "create shares (CanShare)", Since: "v4"},
		Bit{Index: 15, Value: 32768, Name: "customize-share-id", Key: "customize_share_id", Meaning: "choose a share's id (CanCustomizeShareID)", Since: "v4"},
	)
	s.Notes = []string{
		"OpenList stores the sum in User.Permission (int32) and checks bit i as (permission>>i)&1; bits 0-13 are AList's.",
		`Bits 14 and 15 mean "can share" and "can customize share id" here; in AList they are the path limit and MCP read.`,
		"Keys share and customize_share_id are ssoctl's names, after OpenList's CanShare and CanCustomizeShareID.",
		"OpenList gives SSO users role 0 (general) and checks their own sum: sso_default_permission is what they get.",
	}
	return s
}
