package records_test

import (
	"context"
)

var ctx = context.Background()
