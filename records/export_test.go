package records

// ShareOnCreate lets the external tests reach the unexported automatic share of CreateClient.
var ShareOnCreate = shareOnCreate
