package vetshare

// ContactsTx keeps contacts and companies (package billing).
type ContactsTx interface{}
