package cli

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/vetshare/vetshare/internal/cli/clitest"
	"github.com/vetshare/vetshare/sharing"
)

// R1.9: each way a message's signature fails is its own reason, a *SignatureError matching
// its kind and sharing.ErrSignatureInvalid; a validly signed message verifies.
func TestR1_9SignatureReasons(t *testing.T) {
	dir := t.TempDir()
	if err := clitest.WriteMessages(dir); err != nil {
		t.Fatal(err)
	}
	lookup, err := readKeys(filepath.Join(dir, "keys.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		want error // nil: verified
	}{
		{"signed.eml", nil},
		{"from-changed.eml", ErrHeaderAltered},
		{"body-altered.eml", ErrBodyAltered},
		{"other-domain.eml", ErrOtherDomain},
		{"unsigned.eml", ErrUnsigned},
	} {
		t.Run(tc.file, func(t *testing.T) {
			m, err := readMessage(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			sig := verifySignature(m, lookup)
			if tc.want == nil {
				if !sig.Verified || sig.Err != nil {
					t.Fatalf("not verified: %s", sig.Words)
				}
				return
			}
			if sig.Verified {
				t.Fatalf("verified, want %v", tc.want)
			}
			if !errors.Is(sig.Err, tc.want) || !errors.Is(sig.Err, sharing.ErrSignatureInvalid) {
				t.Errorf("err = %v, want it to match %v and sharing.ErrSignatureInvalid", sig.Err, tc.want)
			}
			for _, other := range []error{ErrUnsigned, ErrHeaderAltered, ErrBodyAltered, ErrOtherDomain, ErrSignatureBroken} {
				if other != tc.want && errors.Is(sig.Err, other) {
					t.Errorf("err = %v also matches %v: each failure must be its own reason", sig.Err, other)
				}
			}
		})
	}
}
