-- R13.5: a patient merged into another is kept, replaced by the survivor.
CREATE TABLE vetshare_patient_replaced (
	owner_id    TEXT NOT NULL REFERENCES vetshare_owners (id),
	patient_id  TEXT NOT NULL REFERENCES vetshare_patients (id),
	survivor_id TEXT NOT NULL REFERENCES vetshare_patients (id),
	merged_at   INTEGER NOT NULL,
	PRIMARY KEY (owner_id, patient_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX vetshare_patient_replaced_survivor ON vetshare_patient_replaced (owner_id, survivor_id);
CREATE INDEX vetshare_patient_replaced_patient ON vetshare_patient_replaced (patient_id);
