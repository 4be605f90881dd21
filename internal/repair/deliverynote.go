package repair

import "time"

// DeliveryNote is one version of a work order's signed delivery note
// (följesedel): the PDF the customer signed (FileID), the hash of the
// data it was made from, and who signed it and when. A correction is a
// new version that names the one it replaces; the old one stays.
type DeliveryNote struct {
	ID          int64
	WorkOrderID int64
	Version     int   // 1, 2, …: unique per work order
	ReplacesID  int64 // the version this one corrects; 0 for the first
	FileID      int64 // the PDF in files
	// SnapshotSHA256 is the SHA-256 (hex) of the work order's data as the
	// PDF shows it, so that a later change to the work order shows.
	SnapshotSHA256 string
	SignerName     string        // as the customer typed or said it; empty when absent
	Signature      NoteSignature // how the note was, or was not, signed
	SignedAt       time.Time
	CreatedBy      int64 // the user who recorded it; 0 when unknown
}

// NoteSignature says how a delivery note was signed, as the
// delivery_notes.signature column holds it.
type NoteSignature string

// The ways a delivery note ends.
const (
	NoteSigned  NoteSignature = "signed"  // the customer signed on the phone
	NoteRefused NoteSignature = "refused" // the customer was there but did not sign
	NoteAbsent  NoteSignature = "absent"  // nobody was there to sign
)

// NoteSignatures lists the ways a note ends, as the sign form offers them.
var NoteSignatures = []NoteSignature{NoteSigned, NoteRefused, NoteAbsent}

// Label is how the sign form offers s.
func (s NoteSignature) Label() string {
	switch s {
	case NoteSigned:
		return "Kunden skriver under"
	case NoteRefused:
		return "Kunden vill inte skriva under"
	case NoteAbsent:
		return "Ingen kund på plats"
	}
	return string(s)
}

// Valid reports whether s is one of the known values.
func (s NoteSignature) Valid() bool {
	return s == NoteSigned || s == NoteRefused || s == NoteAbsent
}

// SealEntry is one entry of the seal log: a delivery note's PDF hash and
// data hash, chained to the entry before it by PrevHash. EntryHash is
// computed from the other fields (see package seal), so that a changed,
// removed or inserted entry breaks the chain. Hashes are lower-case hex
// SHA-256.
type SealEntry struct {
	ID             int64
	At             time.Time // stored in UTC to the microsecond
	DeliveryNoteID int64
	FileSHA256     string // the delivery note's PDF, as the file store addresses it
	SnapshotSHA256 string
	PrevHash       string // the previous entry's EntryHash; the genesis value for the first
	EntryHash      string
}
