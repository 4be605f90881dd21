package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"kundportal/internal/config"
	"kundportal/internal/seal"
	"kundportal/internal/store"
)

// verify handles "kundportal verify": it checks the seal log's hash chain
// and re-hashes every delivery-note PDF the log names against the file
// store, then prints "OK: …" or each problem, one a line. Any problem makes
// it fail, so that a cron job or a monitor notices.
func verify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(args, getenv, stderr)
	if err != nil {
		return err
	}
	db, files, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	open := func(sum string) (io.ReadCloser, error) { return files.Open(sum) }
	r, err := seal.Verify(ctx, sealLog(ctx, db), open)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	// The chain covers the log; the rows that point from a note to its
	// PDF are checked against it here.
	mismatches, err := db.SealMismatches(ctx, 1000)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	for _, m := range mismatches {
		p := seal.Problem{EntryID: m.EntryID, DeliveryNoteID: m.DeliveryNoteID, Kind: seal.NoteFileChanged,
			Detail: fmt.Sprintf("registret anger %s, sigillet %s", m.FileSHA256, m.SealedSHA256)}
		if m.EntryID == 0 {
			p.Kind, p.Detail = seal.NoteUnsealed, "registret anger "+m.FileSHA256
		}
		r.Problems = append(r.Problems, p)
	}
	if r.OK() {
		fmt.Fprintf(stdout, "OK: %d följesedlar, kedjan hel\n", r.Entries)
		// Kept outside the database, the last hash shows later whether
		// entries were removed from the end, which the chain cannot.
		fmt.Fprintf(stdout, "senaste posthash: %s\n", r.LastHash)
		return nil
	}
	for _, p := range r.Problems {
		fmt.Fprintln(stdout, p)
	}
	return fmt.Errorf("verify: %d fel i sigillkedjan (%d följesedlar kontrollerade)", len(r.Problems), r.Entries)
}

// sealLog is db's seal log as the sequence seal.Verify reads, streamed
// row by row.
func sealLog(ctx context.Context, db *store.DB) iter.Seq2[seal.Entry, error] {
	return func(yield func(seal.Entry, error) bool) {
		errStop := errors.New("stopped")
		err := db.SealLog(ctx, func(e seal.Entry) error {
			if !yield(e, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(seal.Entry{}, err)
		}
	}
}
