package validate

import (
	"slices"

	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/doctor"
)

// onlineDoctorCodes are the doctor codes doctor.CheckProvider reports.
var onlineDoctorCodes = []string{doctor.CodeUnreachable, doctor.CodeEndpointStatus, doctor.CodeRedirectUnregistered,
	doctor.CodeUnknownClient, doctor.CodeAuthorizeRefused, doctor.CodeClientRejected, doctor.CodeClientAuthMethod,
	doctor.CodeClientProbeUnclear, doctor.CodeIssuerVariant, doctor.CodeIssuerForApp, doctor.CodeSigningAlgForApp,
	doctor.CodePKCERequired, doctor.CodeClientAuthForApp, doctor.CodeScopeNotRequested, doctor.CodeAuthorizeUnexplained}

// onlineCodes are the codes validate --online reports from discovery (DSC) and doctor (DOC). DSC
// codes get the severity of their worst status; a finding's own severity follows its status.
func onlineCodes() []Code {
	var out []Code
	for _, c := range discovery.Codes() {
		sev := SeverityNote
		switch c.Worst {
		case discovery.StatusFail:
			sev = SeverityError
		case discovery.StatusWarn:
			sev = SeverityWarning
		}
		out = append(out, Code{ID: c.ID, Name: "discovery-" + c.Name, Title: c.Title, Severity: sev,
			Description: "A check of the provider's discovery document, keys or clock (validate --online and ssoctl discover): " + c.Title + "."})
	}
	for _, c := range doctor.Codes() {
		if !slices.Contains(onlineDoctorCodes, c.ID) {
			continue // test-login's analysis, which validate never reports
		}
		out = append(out, c)
	}
	return out
}
