package vetshare

// ReportsTx answers the client reports (package reports).
type ReportsTx interface{}
