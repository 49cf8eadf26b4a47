-- R13.5: a patient merged into another is kept, replaced by the survivor.
CREATE TABLE vetshare.patient_replaced (
	owner_id    text NOT NULL,
	patient_id  text NOT NULL,
	survivor_id text NOT NULL,
	merged_at   bigint NOT NULL,
	PRIMARY KEY (owner_id, patient_id),
	FOREIGN KEY (owner_id, patient_id) REFERENCES vetshare.patients (owner_id, id),
	FOREIGN KEY (owner_id, survivor_id) REFERENCES vetshare.patients (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.patient_replaced (owner_id, survivor_id);
