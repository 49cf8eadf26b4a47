package sharing_test

import (
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/sharing"
)

// facts builds the facts of a two-account request for the matrix.
func matrixCase(role vetshare.Role, active, verified, written, senderMatches, sameOwner bool) (sharing.Request, sharing.Facts) {
	owner2 := vetshare.OwnerID("owner-1")
	if !sameOwner {
		owner2 = "owner-2"
	}
	accts := []vetshare.Account{
		{ID: "acct-a", OwnerID: "owner-1", Email: "frontdesk@clinic-a.example", EmailVerified: true},
		{ID: "acct-b", OwnerID: owner2, Email: "desk@clinic-b.example", EmailVerified: true},
	}
	req := sharing.Request{Action: sharing.ActionEnable, Accounts: []vetshare.AccountID{"acct-a", "acct-b"}, Mode: vetshare.ModeAutomatic,
		Requester: "user-1", Channel: sharing.ChannelEmail, From: `"Front Desk" <FrontDesk@Clinic-A.example>`}
	if !written {
		req.Channel = sharing.ChannelPhone
	}
	if !senderMatches {
		req.From = "someone@gmail.example"
	}
	f := sharing.Facts{Requester: vetshare.User{ID: "user-1", Active: active, EmailVerified: verified}, RequesterFound: true}
	for _, a := range accts {
		m := vetshare.Membership{UserID: "user-1", AccountID: a.ID, Role: role, Active: true}
		f.Accounts = append(f.Accounts, sharing.AccountFacts{Account: a, Found: true, Membership: &m})
	}
	return req, f
}

// sentinels returns the distinct sentinels of a decision's reasons, sorted by message.
func sentinels(d sharing.Decision) []string {
	seen := map[string]bool{}
	for _, r := range d.Reasons {
		var reason *sharing.Reason
		if !errors.As(r, &reason) {
			seen["untyped: "+r.Error()] = true
			continue
		}
		seen[reason.Err.Error()] = true
	}
	var out []string
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// R1.1, R1.2, R1.3, R1.4, R1.5: the authorization matrix. 3 roles × active × verified × written ×
// sender matches × same owner = 96 cases; only the all-good rows of owners and admins are
// approved, and every other row lists exactly its failed reasons.
func TestR1_5AuthorizationMatrix(t *testing.T) {
	cases := 0
	for _, role := range []vetshare.Role{vetshare.RoleOwner, vetshare.RoleAdmin, vetshare.RoleStaff} {
		for _, active := range []bool{true, false} {
			for _, verified := range []bool{true, false} {
				for _, written := range []bool{true, false} {
					for _, sender := range []bool{true, false} {
						for _, sameOwner := range []bool{true, false} {
							cases++
							name := fmt.Sprintf("%s/active=%v/verified=%v/written=%v/sender=%v/sameOwner=%v", role, active, verified, written, sender, sameOwner)
							t.Run(name, func(t *testing.T) {
								req, f := matrixCase(role, active, verified, written, sender, sameOwner)
								var want []error
								if role == vetshare.RoleStaff {
									want = append(want, sharing.ErrRequesterNotAdmin)
								}
								if !active {
									want = append(want, sharing.ErrRequesterInactive)
								}
								if !verified {
									want = append(want, sharing.ErrRequesterUnverified)
								}
								if !written {
									want = append(want, sharing.ErrNotWritten)
								}
								if !sender {
									want = append(want, sharing.ErrSenderNotOnFile)
								}
								if !sameOwner {
									want = append(want, sharing.ErrOwnersDiffer)
								}
								var wantMsgs []string
								for _, w := range want {
									wantMsgs = append(wantMsgs, w.Error())
								}
								sort.Strings(wantMsgs)
								d := sharing.Authorize(req, f)
								if d.Approved != (len(want) == 0) {
									t.Errorf("Approved = %v, want %v (reasons %v)", d.Approved, len(want) == 0, d.Reasons)
								}
								if diff := cmp.Diff(wantMsgs, sentinels(d)); diff != "" {
									t.Errorf("reasons (-want +got):\n%s", diff)
								}
								err := d.Err()
								for _, w := range want {
									if !errors.Is(err, w) {
										t.Errorf("Err() does not match %v", w)
									}
								}
								if len(want) > 0 && !errors.Is(err, vetshare.ErrNotPermitted) {
									t.Errorf("Err() = %v, want it to match ErrNotPermitted", err)
								}
							})
						}
					}
				}
			}
		}
	}
	if cases != 96 {
		t.Fatalf("%d cases, want 96", cases)
	}
}

// R1.2: only written channels are accepted; phone, chat, in-person and unknown ones are not.
func TestR1_2Channels(t *testing.T) {
	for ch, ok := range map[sharing.Channel]bool{
		sharing.ChannelEmail: true, sharing.ChannelLetter: true, sharing.ChannelSignedForm: true,
		sharing.ChannelPhone: false, sharing.ChannelChat: false, sharing.ChannelInPerson: false, "fax?": false, "": false,
	} {
		req, f := matrixCase(vetshare.RoleAdmin, true, true, true, true, true)
		req.Channel = ch
		d := sharing.Authorize(req, f)
		if d.Approved != ok {
			t.Errorf("channel %q: approved %v, want %v", ch, d.Approved, ok)
		}
		if !ok && !errors.Is(d.Err(), sharing.ErrNotWritten) {
			t.Errorf("channel %q: %v, want ErrNotWritten", ch, d.Err())
		}
	}
}

// R1.3: an admin of only some of the named accounts, or an inactive membership, is refused, and
// the reason names the account.
func TestR1_3AdminOfOnlySomeAccounts(t *testing.T) {
	req, f := matrixCase(vetshare.RoleAdmin, true, true, true, true, true)
	f.Accounts[1].Membership.Role = vetshare.RoleStaff
	d := sharing.Authorize(req, f)
	var r *sharing.Reason
	if d.Approved || !errors.As(d.Err(), &r) || r.Err != sharing.ErrRequesterNotAdmin || r.Account != "acct-b" {
		t.Errorf("admin of A only: %v, want ErrRequesterNotAdmin naming acct-b", d.Err())
	}
	req, f = matrixCase(vetshare.RoleOwner, true, true, true, true, true)
	f.Accounts[0].Membership = nil
	if d := sharing.Authorize(req, f); !errors.Is(d.Err(), sharing.ErrRequesterNotAdmin) {
		t.Errorf("no membership in A: %v, want ErrRequesterNotAdmin", d.Err())
	}
	req, f = matrixCase(vetshare.RoleOwner, true, true, true, true, true)
	f.Accounts[0].Membership.Active = false
	if d := sharing.Authorize(req, f); !errors.Is(d.Err(), sharing.ErrRequesterNotAdmin) {
		t.Errorf("inactive membership in A: %v, want ErrRequesterNotAdmin", d.Err())
	}
	req, f = matrixCase(vetshare.RoleOwner, true, true, true, true, true)
	f.RequesterFound = false
	if d := sharing.Authorize(req, f); !errors.Is(d.Err(), sharing.ErrRequesterUnknown) {
		t.Errorf("unknown requester: %v, want ErrRequesterUnknown", d.Err())
	}
}

// R1.4: addresses compare as addr-specs, case-insensitively, after trimming, ignoring a display
// name; the matching account address must be verified.
func TestR1_4SenderAddress(t *testing.T) {
	for _, tc := range []struct {
		from string
		want error
	}{
		{`"Front Desk" <FrontDesk@Clinic-A.example>`, nil},
		{"  frontdesk@clinic-a.example  ", nil},
		{"FRONTDESK@CLINIC-A.EXAMPLE", nil},
		{"DESK@clinic-b.example", nil},
		{"frontdesk@clinic-a.example.evil", sharing.ErrSenderNotOnFile},
		{"not an address", sharing.ErrSenderNotOnFile},
		{"", sharing.ErrSenderNotOnFile},
	} {
		req, f := matrixCase(vetshare.RoleAdmin, true, true, true, true, true)
		req.From = tc.from
		d := sharing.Authorize(req, f)
		if tc.want == nil && !d.Approved {
			t.Errorf("From %q: rejected: %v", tc.from, d.Err())
		}
		if tc.want != nil && !errors.Is(d.Err(), tc.want) {
			t.Errorf("From %q: %v, want %v", tc.from, d.Err(), tc.want)
		}
	}
	req, f := matrixCase(vetshare.RoleAdmin, true, true, true, true, true)
	f.Accounts[0].Account.EmailVerified = false
	if d := sharing.Authorize(req, f); !errors.Is(d.Err(), sharing.ErrSenderUnverified) {
		t.Errorf("sent from an unverified account address: %v, want ErrSenderUnverified", d.Err())
	}
}

// R1.6: accounts of two different groups cannot be joined by one request.
func TestR1_6TwoGroupsRejected(t *testing.T) {
	req, f := matrixCase(vetshare.RoleAdmin, true, true, true, true, true)
	f.Accounts[0].Group, f.Accounts[1].Group = "g1", "g2"
	if d := sharing.Authorize(req, f); !errors.Is(d.Err(), sharing.ErrGroupsDiffer) {
		t.Errorf("two groups: %v, want ErrGroupsDiffer", d.Err())
	}
	f.Accounts[1].Group = ""
	d := sharing.Authorize(req, f)
	if !d.Approved || d.Group != "g1" {
		t.Errorf("one account in g1: approved %v group %q, want approved into g1", d.Approved, d.Group)
	}
}

func TestAuthorizeMalformed(t *testing.T) {
	req, f := matrixCase(vetshare.RoleAdmin, true, true, true, true, true)
	for name, mutate := range map[string]func(*sharing.Request, *sharing.Facts){
		"one account":    func(r *sharing.Request, f *sharing.Facts) { r.Accounts = r.Accounts[:1]; f.Accounts = f.Accounts[:1] },
		"bad mode":       func(r *sharing.Request, f *sharing.Facts) { r.Mode = "sometimes" },
		"unknown action": func(r *sharing.Request, f *sharing.Facts) { r.Action = "merge" },
		"facts mismatch": func(r *sharing.Request, f *sharing.Facts) { f.Accounts = nil },
		"duplicate account": func(r *sharing.Request, f *sharing.Facts) {
			r.Accounts[1] = r.Accounts[0]
			f.Accounts[1] = f.Accounts[0]
		},
	} {
		r, fc := req, f
		r.Accounts = append([]vetshare.AccountID(nil), req.Accounts...)
		fc.Accounts = append([]sharing.AccountFacts(nil), f.Accounts...)
		mutate(&r, &fc)
		if d := sharing.Authorize(r, fc); !errors.Is(d.Err(), sharing.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, d.Err())
		}
	}
	// Remove names exactly one account, which must be in a group.
	req.Action, req.Accounts, f.Accounts = sharing.ActionRemove, req.Accounts[:1], f.Accounts[:1]
	if d := sharing.Authorize(req, f); !errors.Is(d.Err(), sharing.ErrNotInGroup) {
		t.Errorf("remove of an account in no group: %v, want ErrNotInGroup", d.Err())
	}
}
