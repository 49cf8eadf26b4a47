package sharing_test

import (
	"errors"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/sharing"
)

// Authorize is a pure function: a host can decide a request on its own data, without a store.
func ExampleAuthorize() {
	north := vetshare.Account{ID: "north", Name: "North", OwnerID: "riverside", Email: "north@riverside.example", EmailVerified: true}
	south := vetshare.Account{ID: "south", Name: "South", OwnerID: "riverside", Email: "south@riverside.example", EmailVerified: true}
	ada := vetshare.User{ID: "ada", Active: true, EmailVerified: true}
	admin := func(a vetshare.AccountID) *vetshare.Membership {
		return &vetshare.Membership{UserID: "ada", AccountID: a, Role: vetshare.RoleAdmin, Active: true}
	}
	facts := sharing.Facts{Requester: ada, RequesterFound: true, Accounts: []sharing.AccountFacts{
		{Account: north, Found: true, Membership: admin("north")},
		{Account: south, Found: true, Membership: nil}, // Ada holds no role at South
	}}
	req := sharing.Request{Action: sharing.ActionEnable, Accounts: []vetshare.AccountID{"north", "south"},
		Mode: vetshare.ModeManual, Requester: "ada", Channel: sharing.ChannelPhone, From: "ada@gmail.example"}

	d := sharing.Authorize(req, facts)
	fmt.Println("approved:", d.Approved)
	for _, r := range d.Reasons {
		fmt.Println("-", r)
	}
	fmt.Println("not written:", errors.Is(d.Err(), sharing.ErrNotWritten))

	req.Channel, req.From = sharing.ChannelEmail, `"North" <North@Riverside.example>`
	facts.Accounts[1].Membership = admin("south")
	fmt.Println("approved after fixing:", sharing.Authorize(req, facts).Approved)
	// Output:
	// approved: false
	// - the request was not made in writing: channel "phone"
	// - the requester is not an admin or owner of the account (South)
	// - the request was not sent from an account's email on file: ada@gmail.example
	// not written: true
	// approved after fixing: true
}
