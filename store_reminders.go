package vetshare

// RemindersTx keeps reminders and disable-reminder actions (package reminders).
type RemindersTx interface{}
