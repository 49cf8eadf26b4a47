-- A patient's history is read in the order its records happened (driver.RecordsTx.Records:
-- by the time given, then the order recorded), a page at a time. vetshare_records_patient
-- held (patient_id, id), so every page read every record of the patient and sorted them:
-- some 400 rows and a sort for a page of 50 on the 1M data set's busiest charts (issue 16).
-- Keyed by (patient_id, given_at, seq), the page is one ordered range that stops at its
-- limit. Every other read by patient (a merge's moves, the reports' joins) uses its first
-- column as before.
DROP INDEX vetshare_records_patient;
CREATE INDEX vetshare_records_patient ON vetshare_records (patient_id, given_at, seq);
