package vetshare

// TasksTx keeps tasks (package tasks).
type TasksTx interface{}
