package validate_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

// generated1000 is a config file with 1,000 providers of every type, each with the keys a real one
// has: secrets, redirect URL, scopes, a mapping, groups and registration, plus file-wide ignores.
func generated1000() []byte {
	var b strings.Builder
	b.WriteString("version: 1\napp:\n  kind: generic\n  url: https://apps.example.com\nproviders:\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "  - name: p%d\n    display_name: Provider %d\n    icon: https://apps.example.com/icons/p%d.png\n    roles: [user]\n    client_id: client-%d\n    client_secret: env:P%d_CLIENT_SECRET\n    redirect_url: https://apps.example.com/oauth/p%d/callback\n", i, i, i, i, i, i)
		switch i % 4 {
		case 0:
			b.WriteString("    type: github\n    scopes: [read:user, user:email]\n    mapping:\n      type: github\n")
		case 1:
			b.WriteString("    type: oidc\n    issuer: https://auth.example.com/application/o/app/\n    scopes: [openid, profile, email, groups]\n    mapping:\n      type: oidc\n      username: {from: preferred_username, normalize: handle, on_conflict: suffix-id}\n")
		case 2:
			b.WriteString("    type: oauth2\n    authorize_url: https://sso.example.com/oauth/authorize\n    token_url: https://sso.example.com/oauth/token\n    userinfo_url: https://sso.example.com/oauth/userinfo\n    mapping:\n      type: custom\n      rules:\n        name: $.data.login\n        email: $.data.emails[?(@.primary == true)].email\n")
		case 3:
			b.WriteString("    type: microsoft\n    tenant: organizations\n")
		}
		b.WriteString("    groups:\n      claim: groups\n      map: {\"/app/admins\": admin, \"/app/staff\": staff}\n    registration:\n      enabled: true\n      allowed_domains: [example.com, example.org]\n      default_dir: /\n      default_permission: [webdav-read, webdav-manage]\n")
	}
	// The generic form has no group sync, permission or username setting; the file says so once.
	b.WriteString("ignore:\n  - {code: SSO070, reason: groups are for the other apps sharing this file}\n  - {code: SSO072, reason: same}\n  - {code: SSO074, reason: same}\n")
	return []byte(b.String())
}

// BenchmarkParse1000 measures config.Parse alone on the generated file: the baseline that
// BenchmarkValidate1000 is compared with (target: validate at most 3× parse).
//
//	go test ./pkg/validate -run '^$' -bench '1000$' -benchmem -count 5
func BenchmarkParse1000(b *testing.B) {
	data := generated1000()
	b.SetBytes(int64(len(data)))
	start := cpuTime()
	for b.Loop() {
		if _, err := config.Parse("bench.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkValidate1000 measures what `ssoctl validate` does with the file: parse, then check.
func BenchmarkValidate1000(b *testing.B) {
	data := generated1000()
	opts := validate.Options{LookupEnv: func(string) (string, bool) { return "x", true }}
	f, err := config.Parse("bench.yaml", data)
	if err != nil {
		b.Fatal(err)
	}
	if r := validate.Check(f, opts); len(r.Findings) > 0 || len(r.Ignored) == 0 {
		b.Fatalf("the generated file should be clean but for ignored findings: %d findings, %d ignored", len(r.Findings), len(r.Ignored))
	}
	b.SetBytes(int64(len(data)))
	start := cpuTime()
	for b.Loop() {
		f, err := config.Parse("bench.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		validate.Run(f, opts)
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// generatedFindings is a config file with n providers that each give two findings (SSO010: no
// client secret; SSO013: a plain http redirect URL), the shape of the 4 MB file in issue 14 whose
// SARIF output was 162 MB.
func generatedFindings(n int) []byte {
	var b strings.Builder
	b.WriteString("version: 1\nproviders:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - name: p%d\n    type: github\n    client_id: c%d\n    redirect_url: http://x%d.example.com/cb\n", i, i, i)
	}
	return []byte(b.String())
}

// benchmarkValidateSARIF measures `ssoctl validate --format sarif` on a file with n providers and 2n
// findings: parse, check, cap and write. Time and memory per op should grow linearly with n, and the
// output stays small because repeated findings are capped per code:
//
//	go test ./pkg/validate -run '^$' -bench 'ValidateSARIF' -benchmem -count 3
//
// Measured 2026-12-07 (shared 2-core machine; CPU time and bytes per op), before issue 14 (856e2b5)
// and after capping (20 findings per code, then one summary):
//
//	           before                                   after
//	 4,000     0.26 s CPU   69.4 MB   5.9 MB of SARIF    0.32 s CPU   39.7 MB  115 KB of SARIF
//	40,000     3.72 s CPU  699.1 MB  58.4 MB of SARIF    2.85 s CPU  412.3 MB  115 KB of SARIF
func benchmarkValidateSARIF(b *testing.B, n int) {
	data := generatedFindings(n)
	opts := validate.Options{LookupEnv: func(string) (string, bool) { return "", false }}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var out int
	start := cpuTime()
	for b.Loop() {
		f, err := config.Parse("bench.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		var w countingWriter
		if err := validate.WriteSARIF(&w, validate.Check(f, opts).Findings, validate.SARIFOptions{}); err != nil {
			b.Fatal(err)
		}
		out = int(w)
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(out), "out-bytes")
}

func BenchmarkValidateSARIF4000(b *testing.B)  { benchmarkValidateSARIF(b, 4000) }
func BenchmarkValidateSARIF40000(b *testing.B) { benchmarkValidateSARIF(b, 40000) }

type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

// benchmarkValidateIgnores measures validate on a file where every provider silences its finding
// with an ignore comment, and a top-level ignore list names every provider: n comment ignores, n
// list ignores and 2n findings, which matching must not multiply.
//
//	go test ./pkg/validate -run '^$' -bench 'ValidateIgnores' -benchmem -count 3
//
// Measured 2026-12-07: before, matching was findings × ignores (4,000: 1.07 s CPU; 40,000 was not
// run: about 100 s by the square); after, by line and by code and provider: 4,000 0.28 s CPU 61.8 MB,
// 40,000 3.83 s CPU 658.4 MB.
func benchmarkValidateIgnores(b *testing.B, n int) {
	var sb strings.Builder
	sb.WriteString("version: 1\nproviders:\n")
	for i := range n {
		fmt.Fprintf(&sb, "  - name: p%d\n    type: github\n    client_id: c%d\n    client_secret: env:S\n    redirect_url: http://x%d.example.com/cb  # ssoctl:ignore SSO013 lab network\n", i, i, i)
	}
	sb.WriteString("ignore:\n")
	for i := range n {
		fmt.Fprintf(&sb, "  - {code: SSO061, provider: p%d, reason: set in CI}\n", i)
	}
	data := []byte(sb.String())
	opts := validate.Options{LookupEnv: func(string) (string, bool) { return "", false }}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		f, err := config.Parse("bench.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		r := validate.Check(f, opts)
		if len(r.Ignored) != 2*n {
			b.Fatalf("%d findings ignored, want %d; findings: %v", len(r.Ignored), 2*n, r.Findings[:min(len(r.Findings), 3)])
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

func BenchmarkValidateIgnores4000(b *testing.B)  { benchmarkValidateIgnores(b, 4000) }
func BenchmarkValidateIgnores40000(b *testing.B) { benchmarkValidateIgnores(b, 40000) }

// benchmarkAddChecked measures what `ssoctl provider add` does to a file of n providers, each with a
// finding (no client secret): lock, read, add one entry, validate the file as read and as edited,
// write. Time and memory per op should grow linearly with n:
//
//	go test ./pkg/validate -run '^$' -bench 'AddChecked' -benchmem -count 3
//
// Measured 2026-12-07: 4,000 0.21 s CPU 59.8 MB 817k allocs; 40,000 2.36 s CPU 666.7 MB 8160k allocs.
func benchmarkAddChecked(b *testing.B, n int) {
	var sb strings.Builder
	sb.WriteString("version: 1\nproviders:\n")
	for i := range n {
		fmt.Fprintf(&sb, "  - name: p%d\n    type: github\n    client_id: c%d\n", i, i)
	}
	data := []byte(sb.String())
	path := filepath.Join(b.TempDir(), "ssoctl.yaml")
	guard := validate.Guard(validate.Options{LookupEnv: func(string) (string, bool) { return "", false }})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		b.StopTimer()
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		err := config.UpdateWith(context.Background(), path, config.UpdateOptions{Check: guard}, func(f *config.File) error {
			return f.AddProvider(config.Provider{Name: "new", Type: "github", ClientID: "n", ClientSecret: "env:N"})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

func BenchmarkAddChecked4000(b *testing.B)  { benchmarkAddChecked(b, 4000) }
func BenchmarkAddChecked40000(b *testing.B) { benchmarkAddChecked(b, 40000) }
