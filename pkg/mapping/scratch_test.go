package mapping

import (
	"fmt"
	"testing"

	"github.com/ohler55/ojg/jp"
	"github.com/ohler55/ojg/oj"
)

func TestScratch(t *testing.T) {
	jp.RegisterUnaryFunction("ssoctlsumall", true, func(l any) any {
		fmt.Printf("sumall called %#v\n", l)
		return int64(3)
	})
	doc, _ := oj.ParseString(`{"a":{"b":1,"c":"x"},"emails":[{"e":"1","p":true,"t":"w","n":[1,2]},{"e":"2","p":false,"t":"h","n":[]},{"e":"3","p":true,"t":"x"}],"allowed":["w","h"],"n":null}`)
	for _, s := range []string{
		"$.emails[?(@.p == false || @.t == 'x' && @.p == false)].e",
		"$.emails[?(@.t == 'x' && @.p == false || @.p == false)].e",
		"$.emails[?((@.p == false) || (@.t == 'x' && @.p == false))].e",
		"$.emails[?(@.p)].e",
		"$.emails[?@.p].e",
		"$.emails[?(@.n empty true)].e",
		"$.emails[?(ssoctlsumall(@.n[*]) == 3)].e",
		"$.emails[?(@.n[*] == 2)].e",
		"$.emails[?(@.e in ['1','3'])].e",
		"$.emails[?(@.e == $.a.c)].e",
		"$..*",
		"$.*",
		"$[*]",
		"$.emails[*]['e','t']",
	} {
		x, err := jp.ParseString(s)
		if err != nil { fmt.Println(s, "ERR", err); continue }
		fmt.Printf("%s => %v  (%s)\n", s, x.Get(doc), x)
	}
	x := jp.MustParseString("$.emails")
	f := jp.MustParseString("$.emails[?(@.p == true)].e")
	fmt.Println("filter-only on array", jp.Expr(f[2:]).Get(x.Get(doc)[0]))
	fmt.Println("match", f[2].(*jp.Filter).Match(map[string]any{"p": true}))
}
