// Package seal makes signed delivery notes tamper-evident: a hash chain
// over the seal log (every entry names its delivery note's PDF by SHA-256
// and the entry before it), the check of that chain against the stored
// PDFs, and a digital signature on the PDF itself. It holds no SQL and no
// HTTP: the store keeps the log, the file store the PDFs.
//
// What the chain shows and what it does not: a changed entry, a removed or
// inserted one in the middle, and a changed or missing PDF are all found.
// Entries removed from the end leave a shorter chain that is whole; only a
// copy of the latest entry hash kept elsewhere (a backup, a printed
// receipt) tells that apart.
package seal

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/repair"
)

// Entry is one entry of the seal log: repair.SealEntry, the type the
// store reads and writes, under the name this package's functions use.
type Entry = repair.SealEntry

// Genesis is the PrevHash of the first entry: 64 zeros, a value no
// SHA-256 in practice gives.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// hashVersion starts every hashed record, so that a later encoding can
// never give the same bytes as this one.
const hashVersion = "kundportal-seal-v1"

// TimeFormat is how At enters the hash: UTC, to the microsecond (the
// precision both databases keep), always six fraction digits. Go's
// formatting truncates, it does not round, so a time with nanoseconds
// hashes like its stored, truncated self.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// ChainHash is the EntryHash of e: the lower-case hex SHA-256 of these
// fields, in this order, each written as a netstring (the length in
// bytes in decimal, a colon, the bytes, a comma), which no content can
// make ambiguous:
//
//	"kundportal-seal-v1"  the version of this encoding
//	PrevHash              as stored (the genesis value for the first entry)
//	DeliveryNoteID        in decimal
//	FileSHA256            as stored
//	SnapshotSHA256        as stored
//	At                    in TimeFormat
//
// e's ID and EntryHash do not enter it. For an entry it can be checked
// with a shell:
//
//	printf '18:kundportal-seal-v1,64:%s,%d:%d,64:%s,64:%s,27:%s,' \
//	  "$prev" "${#id}" "$id" "$file" "$snapshot" "$at" | sha256sum
func ChainHash(e Entry) string {
	var b strings.Builder
	for _, f := range []string{
		hashVersion,
		e.PrevHash,
		strconv.FormatInt(e.DeliveryNoteID, 10),
		e.FileSHA256,
		e.SnapshotSHA256,
		e.At.UTC().Format(TimeFormat),
	} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
		b.WriteByte(',')
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// Next returns e as the entry after last (nil when e is the first): with
// PrevHash and EntryHash set, and At in UTC truncated to the microsecond,
// as the stores keep it. e's DeliveryNoteID, FileSHA256, SnapshotSHA256
// and At are the caller's.
func Next(last *Entry, e Entry) Entry {
	e.PrevHash = Genesis
	if last != nil {
		e.PrevHash = last.EntryHash
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.EntryHash = ChainHash(e)
	return e
}
