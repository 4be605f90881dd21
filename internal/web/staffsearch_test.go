package web

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestQueuesEqualTheirLists: every queue on the Inkorg links to the
// office's search, whose list has exactly the queue's count; a case that
// left the Inkorg is found there by customer and status.
func TestQueuesEqualTheirLists(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// theirCase has a work order (planned, no time); myCase too. Move
		// myCase on to Mottagen and a third case to Väntar på reservdel.
		third := storetest.Case(t, db, f.mine.ID, 0, "Hjo Spis glappar")
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
			if err := tx.SetCaseStatus(ctx, f.myCase.ID, repair.StatusReceived, 0, "", f.myCase.RegisteredAt); err != nil {
				return err
			}
			if err := tx.SetCaseStatus(ctx, third.ID, repair.StatusReceived, 0, "", third.RegisteredAt); err != nil {
				return err
			}
			return nil
		})
		disp := f.login(f.disp.Email)
		d := doc(t, f.get(disp, "/order"))
		queues := d.Find("[data-testid=queues] li")
		if queues.Length() != 6 {
			t.Fatalf("%d queues, want 6", queues.Length())
		}
		counts := map[string]int{}
		for i := range queues.Length() {
			q := queues.Eq(i)
			id, _ := q.Attr("data-testid")
			n, err := strconv.Atoi(strings.TrimSpace(q.Find(".stat-value").Text()))
			if err != nil {
				t.Fatalf("%s: count %q", id, q.Find(".stat-value").Text())
			}
			counts[id] = n
			href, _ := q.Find("a").Attr("href")
			list := doc(t, f.get(disp, href))
			if rows := list.Find("[data-testid=case-row]").Length(); rows != n {
				t.Errorf("%s: the queue says %d, its list %s has %d rows", id, n, href, rows)
			}
		}
		// theirCase is still Registrerad; myCase (with a work order) and
		// third (without) are Mottagen.
		if counts["queue-new"] != 1 || counts["queue-unplanned"] != 1 {
			t.Errorf("queues %v: want 1 new, 1 received without a work order", counts)
		}
		// Found again by customer and status, with the customer's name.
		d = doc(t, f.get(disp, "/order/arenden?kund="+itoa(f.mine.ID)+"&status=received"))
		rows := d.Find("[data-testid=case-row]")
		if rows.Length() != 2 || !strings.Contains(rows.Text(), f.myCase.Number) || !strings.Contains(rows.Text(), f.mine.Name) {
			t.Errorf("search by customer and status: %d rows %q", rows.Length(), rows.Text())
		}
		resp := f.get(disp, "/order/arenden/export.csv?kund="+itoa(f.mine.ID)+"&status=received")
		body, _ := io.ReadAll(resp.Body)
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\ufeff")))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil || len(recs) != 3 || recs[0][0] != "Kundföretag" || recs[1][0] != f.mine.Name {
			t.Errorf("staff export: %v %q", err, recs)
		}
		// Bad office parameters get messages, not errors.
		for _, q := range []string{"kund=abc", "tekniker=-1", "aldre_an=tio", "planerad=2026-02-30"} {
			resp := f.get(disp, "/order/arenden?"+q)
			field, _, _ := strings.Cut(q, "=")
			if resp.StatusCode != 400 || doc(t, resp).Find("[data-testid=error-"+field+"]").Length() != 1 {
				t.Errorf("%s: status %d, or no message next to the field", q, resp.StatusCode)
			}
		}
		// A customer asking the office's search gets nothing of it.
		anna := f.login(f.anna.Email)
		if resp := f.get(anna, "/order/arenden?kund="+itoa(f.theirs.ID)); resp.StatusCode != 404 && resp.StatusCode != 403 {
			t.Errorf("a customer on the office's search: status %d", resp.StatusCode)
		}
	})
}

// TestStaffSearchFormShowsItsSearch: the office's filter form, rendered
// once per search and list and kept, shows each search's own filters when
// searches alternate, and a customer added since is offered at once.
func TestStaffSearchFormShowsItsSearch(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		disp := f.login(f.disp.Email)
		mine := "/order/arenden?kund=" + itoa(f.mine.ID) + "&q=diskmaskin"
		for range 2 {
			for _, tc := range []struct{ path, customer, text string }{{mine, itoa(f.mine.ID), "diskmaskin"}, {"/order/arenden", "", ""}} {
				d := doc(t, f.get(disp, tc.path))
				if got, _ := d.Find("#kund option[selected]").Attr("value"); got != tc.customer {
					t.Errorf("%s: Kund %q selected, want %q", tc.path, got, tc.customer)
				}
				if got, _ := d.Find("#q").Attr("value"); got != tc.text {
					t.Errorf("%s: Fritext %q, want %q", tc.path, got, tc.text)
				}
			}
		}
		added := storetest.Customer(t, db, "Nyköpings Kommun")
		d := doc(t, f.get(disp, "/order/arenden"))
		if d.Find("#kund option[value='"+itoa(added.ID)+"']").Length() != 1 {
			t.Errorf("the customer added after the form was kept is not offered: %q", d.Find("#kund").Text())
		}
	})
}
