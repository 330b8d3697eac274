package perm_test

import (
	"errors"
	"fmt"

	"github.com/ssoctl/ssoctl/pkg/perm"
)

func ExampleScheme_Sum() {
	s, _ := perm.Builtin(perm.DefaultScheme)
	n, _ := s.Sum("webdav-read", "webdav_manage")
	fmt.Println(n)

	_, err := s.Sum("webdav-reed")
	var unknown *perm.UnknownNameError
	if errors.As(err, &unknown) {
		fmt.Println(err)
		fmt.Println(unknown.Hint())
	}
	// Output:
	// 768
	// unknown permission "webdav-reed" in scheme alist
	// did you mean "webdav-read"? run "ssoctl perm list" to see all names
}

func ExampleScheme_Decode() {
	s, _ := perm.Builtin(perm.DefaultScheme)
	bits, _ := s.Decode(152)
	for _, b := range bits {
		fmt.Println(b.Value, b.Name)
	}
	// Output:
	// 8 write
	// 16 rename
	// 128 delete
}
