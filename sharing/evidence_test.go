package sharing_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/sharing"
)

// R1.9: a request delivered as an email message is decided on its signature: one that did not
// verify fails with its own reason, ErrSignatureInvalid, beside any other; a support user's
// override with a reason lifts that reason and nothing else.
func TestR1_9AuthorizeSignature(t *testing.T) {
	for _, tc := range []struct {
		name     string
		evidence *sharing.Evidence
		sender   bool
		want     []string
	}{
		{"NoMessage", nil, true, nil},
		{"Verified", &sharing.Evidence{SignatureVerified: true}, true, nil},
		{"ErrSignatureInvalid", &sharing.Evidence{Verification: "unsigned"}, true, []string{sharing.ErrSignatureInvalid.Error()}},
		{"BlankOverride", &sharing.Evidence{Override: "  "}, true, []string{sharing.ErrSignatureInvalid.Error()}},
		{"Override", &sharing.Evidence{Override: "confirmed by phone with the owner"}, true, nil},
		{"OverrideKeepsOtherReasons", &sharing.Evidence{Override: "why"}, false, []string{sharing.ErrSenderNotOnFile.Error()}},
		{"EveryReason", &sharing.Evidence{}, false, []string{sharing.ErrSignatureInvalid.Error(), sharing.ErrSenderNotOnFile.Error()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, f := matrixCase(vetshare.RoleAdmin, true, true, true, tc.sender, true)
			req.Evidence = tc.evidence
			d := sharing.Authorize(req, f)
			if diff := cmp.Diff(tc.want, sentinels(d)); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			if d.Approved != (len(tc.want) == 0) {
				t.Errorf("Approved = %v with reasons %v", d.Approved, d.Reasons)
			}
			if tc.evidence != nil && !tc.evidence.SignatureVerified && tc.evidence.Override == "" {
				if !errors.Is(d.Err(), sharing.ErrSignatureInvalid) {
					t.Errorf("Err() = %v, want it to match ErrSignatureInvalid", d.Err())
				}
			}
		})
	}
}
