package vetshare_test

import (
	"errors"
	"fmt"

	"github.com/vetshare/vetshare"
)

// A host shows the sentence and logs the operation and the ids, which are fields (R12.7).
func ExampleOpError() {
	err := vetshare.Op("records.Client", vetshare.NotFound("client", vetshare.ClientID("01JB7Q2M4X8Y9Z0A1B2C3D4E5F")))

	fmt.Println("show:", err)
	var op *vetshare.OpError
	var nf *vetshare.NotFoundError
	if errors.As(err, &op) && errors.As(err, &nf) {
		fmt.Println("log:", op.Op, nf.Kind, nf.ID)
	}
	fmt.Println("not found:", errors.Is(err, vetshare.ErrNotFound))
	// Output:
	// show: client not found
	// log: records.Client client 01JB7Q2M4X8Y9Z0A1B2C3D4E5F
	// not found: true
}
