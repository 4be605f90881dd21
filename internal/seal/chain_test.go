package seal

import (
	"testing"
	"time"

	"kundportal/internal/sv"
)

// The vectors were computed with the shell recipe in ChainHash's doc
// comment (printf … | sha256sum), not with this package, so that the
// documented encoding and the code are checked against each other.
const (
	shaA = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb" // SHA-256 of "a"
	shaB = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d" // "b"
	shaC = "2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6" // "c"
	shaD = "18ac3e7343f016890c510e93f935261169d9e3f565436429830faf0934f4f8e4" // "d"
)

var vectors = []struct {
	name string
	e    Entry
	want string
}{
	{"first entry", Entry{
		PrevHash: Genesis, DeliveryNoteID: 7, FileSHA256: shaA, SnapshotSHA256: shaB,
		At: time.Date(2026, time.March, 12, 13, 5, 0, 123456000, time.UTC),
	}, "5c728aab5f8f98b00dfa025f2f450fbab9381f14eb6494b7bc67ed933d714e0d"},
	{"second entry", Entry{
		PrevHash: "5c728aab5f8f98b00dfa025f2f450fbab9381f14eb6494b7bc67ed933d714e0d", DeliveryNoteID: 1234,
		FileSHA256: shaC, SnapshotSHA256: shaD,
		At: time.Date(2026, time.December, 31, 23, 59, 59, 1000, time.UTC),
	}, "e66ae41627e6707a146f25332273640f5f2ffe0c66089850f8c425daef1305b2"},
}

func TestChainHashVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			if got := ChainHash(v.e); got != v.want {
				t.Errorf("ChainHash(%+v) = %s, want %s", v.e, got, v.want)
			}
			// Neither the id nor a stored entry hash enters the hash.
			e := v.e
			e.ID, e.EntryHash = 99, "anything"
			if got := ChainHash(e); got != v.want {
				t.Errorf("ChainHash with ID and EntryHash set = %s, want %s", got, v.want)
			}
		})
	}
}

// TestChainHashTime checks that only the instant to the microsecond
// counts: the zone it comes in and nanoseconds below the microsecond,
// which the stores drop, do not change the hash.
func TestChainHashTime(t *testing.T) {
	e := vectors[0].e
	want := vectors[0].want
	for name, at := range map[string]time.Time{
		"Swedish time":     e.At.In(sv.Stockholm),
		"with nanoseconds": e.At.Add(999 * time.Nanosecond),
	} {
		x := e
		x.At = at
		if got := ChainHash(x); got != want {
			t.Errorf("%s: ChainHash(At %v) = %s, want %s", name, at, got, want)
		}
	}
	x := e
	x.At = e.At.Add(time.Microsecond)
	if ChainHash(x) == want {
		t.Error("a microsecond later gives the same hash")
	}
}

// TestChainHashFields checks that every hashed field counts, and that
// moving bytes from one field to the next does not give the same hash.
func TestChainHashFields(t *testing.T) {
	base := vectors[0].e
	want := vectors[0].want
	changes := map[string]func(*Entry){
		"prev hash":        func(e *Entry) { e.PrevHash = shaD },
		"delivery note id": func(e *Entry) { e.DeliveryNoteID = 8 },
		"file":             func(e *Entry) { e.FileSHA256 = shaC },
		"snapshot":         func(e *Entry) { e.SnapshotSHA256 = shaC },
		"time":             func(e *Entry) { e.At = e.At.Add(time.Second) },
		"bytes moved between fields": func(e *Entry) {
			e.FileSHA256, e.SnapshotSHA256 = e.FileSHA256+e.SnapshotSHA256[:1], e.SnapshotSHA256[1:]
		},
		"id digits moved into the file": func(e *Entry) {
			e.DeliveryNoteID, e.FileSHA256 = 0, "7"+e.FileSHA256
		},
	}
	for name, change := range changes {
		e := base
		change(&e)
		if ChainHash(e) == want {
			t.Errorf("%s: ChainHash unchanged", name)
		}
	}
}

func TestNext(t *testing.T) {
	first := Next(nil, Entry{DeliveryNoteID: 7, FileSHA256: shaA, SnapshotSHA256: shaB,
		At: vectors[0].e.At.In(sv.Stockholm).Add(500 * time.Nanosecond)})
	if first.PrevHash != Genesis || first.EntryHash != vectors[0].want {
		t.Errorf("Next(nil, …) = %+v, want PrevHash Genesis and EntryHash %s", first, vectors[0].want)
	}
	if want := vectors[0].e.At; !first.At.Equal(want) || first.At.Location() != time.UTC || first.At.Nanosecond() != want.Nanosecond() {
		t.Errorf("Next(nil, …).At = %v, want %v in UTC to the microsecond", first.At, want)
	}
	second := Next(&first, Entry{DeliveryNoteID: 1234, FileSHA256: shaC, SnapshotSHA256: shaD, At: vectors[1].e.At})
	if second.PrevHash != first.EntryHash || second.EntryHash != vectors[1].want {
		t.Errorf("Next(first, …) = %+v, want PrevHash %s and EntryHash %s", second, first.EntryHash, vectors[1].want)
	}
}
