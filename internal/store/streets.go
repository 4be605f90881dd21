package store

import (
	"context"
	"fmt"

	"kundportal/internal/repair"
)

// Sök ärende's Gata: a prefix ("Vasag") stands for the customer's streets
// that start so, each without its apartment part (repair.StreetName).
// The store resolves the prefix into those streets by skipping through
// the (customer, street_name_key, registered_at) index, one seek per
// street, and reads each street's newest cases from the same index,
// merging them: a street with 16 000 cases costs a page, not a sort of
// 16 000 rows.

// maxMergedStreets is how many streets a prefix may stand for and still
// be merged; a shorter prefix, matching more, is matched by range over
// the whole customer's list, which is correct but slower, and the page
// offers the streets to choose from.
const maxMergedStreets = 20

// streetNameKey is what a case's street is matched on.
func streetNameKey(street string) string { return Fold(repair.StreetName(street)) }

// fillStreetNames fills street_name_key for the cases there were before
// the column: one update per customer and street, through the (customer,
// street_key) index, since the name key follows from the folded street.
func (tx *Tx) fillStreetNames(ctx context.Context) error {
	rows, err := tx.query(ctx, `SELECT DISTINCT customer_id, street_key FROM cases`)
	type street struct {
		customer int64
		key      string
	}
	streets, err := collect(rows, err, func(r rowScanner) (street, error) {
		var s street
		return s, r.Scan(&s.customer, &s.key)
	})
	if err != nil {
		return fmt.Errorf("store: fill street names: %w", err)
	}
	for _, s := range streets {
		if name := streetNameKey(s.key); name != "" {
			if err := tx.exec(ctx, `UPDATE cases SET street_name_key = ? WHERE customer_id = ? AND street_key = ?`,
				name, s.customer, s.key); err != nil {
				return fmt.Errorf("store: fill street names: %w", err)
			}
		}
	}
	return nil
}

// streetPrefix is the folded street name a Gata filter is a prefix of,
// or "" when the filter is not a prefix (empty, quoted, or "-").
func streetPrefix(f repair.CaseFilter) string {
	if f.StreetExact || f.Street == repair.NoValue {
		return ""
	}
	return streetNameKey(f.Street)
}

// streetSkip lists a customer's street_name_keys in a range [$2, $3), at
// most $6 + 1 of them: a recursive skip, each step seeking the next key
// after the last one, so the streets cost one index seek each, whatever
// their cases. The arguments: customer, from, to, customer, to, limit.
const streetSkip = `
	WITH RECURSIVE s(k, n) AS (
		SELECT (SELECT min(c.street_name_key) FROM cases c
			WHERE c.customer_id = ? AND c.street_name_key >= ? AND c.street_name_key < ?), 1
		UNION ALL
		SELECT (SELECT min(c.street_name_key) FROM cases c
			WHERE c.customer_id = ? AND c.street_name_key > s.k AND c.street_name_key < ?), s.n + 1
		FROM s WHERE s.k IS NOT NULL AND s.n <= ?
	)
	SELECT k FROM s WHERE k IS NOT NULL`

// streetKeys resolves f's Gata prefix into the customer's streets that
// start with it, at most limit of them, in order: ok is false when the
// prefix names more, or when the search is not limited to one customer
// (the office's search across customers), and the prefix is then matched
// by range.
func (db *DB) streetKeys(ctx context.Context, scope repair.Scope, f repair.CaseFilter, limit int) (keys []string, ok bool, err error) {
	prefix := streetPrefix(f)
	customer := scope.Customer()
	if customer == 0 {
		customer = f.CustomerID
	}
	if prefix == "" || customer == 0 {
		return nil, false, nil
	}
	// Kept until the customer's next change (countcache.go): a Gata
	// search resolves its prefix, and its page's pick-list does again.
	key, version, now := fmt.Sprintf("%d|%s|%d", customer, prefix, limit), db.changes.version(repair.CustomerScope(customer)), db.now()
	keys, kept := db.streets.get(key, version, now)
	if !kept {
		rows, err := db.query(ctx, streetSkip, customer, prefix, prefix+"\U0010FFFF", customer, prefix+"\U0010FFFF", limit)
		keys, err = collect(rows, err, func(r rowScanner) (string, error) {
			var k string
			return k, r.Scan(&k)
		})
		if err != nil {
			return nil, false, fmt.Errorf("store: streets: %w", err)
		}
		db.streets.put(key, keys, version, now)
	}
	if len(keys) > limit {
		return keys[:limit], false, nil
	}
	return keys, true, nil
}

// Streets are the customer's streets that f's Gata prefix starts (at most
// limit, in order), as a Gata pick-list shows them: each street's name as
// one of its cases writes it, without the apartment. A Gata that is no
// prefix (empty, quoted or "-") has none.
func (db *DB) Streets(ctx context.Context, scope repair.Scope, f repair.CaseFilter, limit int) ([]string, error) {
	keys, _, err := db.streetKeys(ctx, scope, repair.CaseFilter{Street: f.Street, StreetExact: f.StreetExact}, limit)
	if err != nil || len(keys) == 0 {
		return nil, err
	}
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		var street string
		if err := db.queryRow(ctx, `SELECT c.street FROM cases c WHERE c.customer_id = ? AND c.street_name_key = ? LIMIT 1`,
			scope.Customer(), k).Scan(&street); err != nil {
			return nil, fmt.Errorf("store: streets: %w", err)
		}
		names = append(names, repair.StreetName(street))
	}
	return names, nil
}
