package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// filing is a portal filing of a case titled title on the machine, with
// its received mail (the number marked as the operation marks it) and a
// digest line.
func filing(customer, user, asset int64, token, title string) *store.Filing {
	return &store.Filing{
		Case: repair.Case{CustomerID: customer, AssetID: asset, Type: repair.PortalCaseType, Title: title,
			Description: "Vatten står kvar.", Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde",
			ReporterName: "Anna Lindqvist", ReporterPhone: "070-123 45 67", ReportedBy: user},
		Token: token, By: user, Audit: "Serviceanmälan i kundportalen",
		Mails: func(c repair.Case) ([]repair.Mail, []store.DigestItem) {
			return []repair.Mail{{MessageID: token + "@test", Event: repair.MailReceived, CustomerID: customer, CaseID: c.ID,
					UserID: user, Recipient: "anna@example.se", Subject: "Ärende " + c.Number + " mottaget",
					Text: c.Title, HTML: "<p>" + c.Title + "</p>"}},
				[]store.DigestItem{{UserID: user, CaseID: c.ID, Event: repair.MailReceived, Line: c.Number + " " + c.Title, Link: "/arenden/" + c.Number}}
		},
		MailDelay: time.Minute,
	}
}

// filer is a customer's user who files cases, and a machine of theirs.
func filer(t *testing.T, db *store.DB) (repair.Customer, repair.User, repair.Asset) {
	t.Helper()
	cust := storetest.Customer(t, db, "Solgårdens Bostäder AB")
	user := storetest.User(t, db, cust.ID, repair.RoleCustomerUser, "anna@example.se", "x")
	return cust, user, storetest.Asset(t, db, cust.ID)
}

// PostgreSQL saves filings that queue together in two statements: each
// caller gets its own case, a token given twice gets one case, a token
// filed before gets the case it made, and every case is saved whole, as
// a filing alone saves it.
func TestFileTogether(t *testing.T) {
	db := storetest.OpenPostgres(t)
	ctx := context.Background()
	cust, user, asset := filer(t, db)
	done := storetest.Asset(t, db, cust.ID) // had a case completed last week
	old := storetest.Case(t, db, cust.ID, done.ID, "Förra veckan")
	if err := store.ExecSQL(ctx, db, `UPDATE cases SET status = 'completed', completed_at = ? WHERE id = ?`,
		time.Now().Add(-7*24*time.Hour).UTC(), old.ID); err != nil {
		t.Fatal(err)
	}
	earlier, err := db.FileCase(ctx, filing(cust.ID, user.ID, asset.ID, "tok-earlier", "Filed before"))
	if err != nil {
		t.Fatal(err)
	}

	a := filing(cust.ID, user.ID, asset.ID, "tok-a", "Case A")
	b := filing(cust.ID, user.ID, done.ID, "tok-b", "Case B")
	b.Case.InvoiceReference = "Proj 7"
	again := filing(cust.ID, user.ID, asset.ID, "tok-a", "Case A, clicked twice")
	before := filing(cust.ID, user.ID, asset.ID, "tok-earlier", "Filed before, again")
	c := filing(cust.ID, user.ID, 0, "tok-c", "Case C <utan maskin>")
	c.Case.InvoiceReference = "Proj 7"
	c.Defaults = &store.ReporterDefaults{Name: "Bo Ek", Phone: "070-000 00 00"}
	ids, errs, together := store.FileTogether(db, []*store.Filing{a, b, again, before, c})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("filing %d: %v", i, err)
		}
	}
	if !together {
		t.Fatal("the batch was saved filing by filing, not together")
	}
	if ids[0] != ids[2] || ids[3] != earlier || ids[0] == ids[1] || ids[1] == ids[4] || ids[0] == earlier {
		t.Fatalf("ids = %v (filed before: %d), want A twice the same, the earlier token's case, and new ones", ids, earlier)
	}

	for i, want := range map[int]struct {
		title  string
		repeat bool
	}{0: {"Case A", false}, 1: {"Case B", true}, 4: {"Case C <utan maskin>", false}} {
		got, err := db.Case(ctx, repair.CustomerScope(cust.ID), ids[i])
		if err != nil {
			t.Fatalf("case %d: %v", ids[i], err)
		}
		if got.Title != want.title || got.RepeatFault != want.repeat || got.Status != repair.StatusRegistered ||
			!strings.HasPrefix(got.Number, fmt.Sprint(time.Now().Year())+"-") || got.ReportedBy != user.ID {
			t.Errorf("case %d = %q, %s, repeat %v, %s, by %d; want %q, Registrerad, repeat %v", ids[i], got.Title,
				got.Number, got.RepeatFault, got.Status, got.ReportedBy, want.title, want.repeat)
		}
		// The filing's case is the one saved, number and all.
		if f := []*store.Filing{a, b, again, before, c}[i]; f.Case.ID != got.ID || f.Case.Number != got.Number || f.Case.RepeatFault != want.repeat {
			t.Errorf("filing %d holds case %d %s (repeat %v), saved %d %s", i, f.Case.ID, f.Case.Number, f.Case.RepeatFault, got.ID, got.Number)
		}
		h, err := db.StatusHistory(ctx, repair.StaffScope(), ids[i])
		if err != nil || len(h) != 1 || h[0].Status != repair.StatusRegistered {
			t.Errorf("case %d history = %+v, %v; want its first entry", ids[i], h, err)
		}
		if n := rows(t, db, `SELECT count(*) FROM audit_log WHERE entity = 'case' AND entity_id = ? AND action = 'create' AND detail = ? AND user_id = ?`,
			ids[i], "Serviceanmälan i kundportalen", user.ID); n[0] != "1" {
			t.Errorf("case %d: %s create audit lines, want 1", ids[i], n[0])
		}
		// The mail and the digest line carry the case's own number.
		if m := rows(t, db, `SELECT subject FROM outbox WHERE case_id = ?`, ids[i]); len(m) != 1 || m[0] != "Ärende "+got.Number+" mottaget" {
			t.Errorf("case %d mails = %q", ids[i], m)
		}
		if d := rows(t, db, `SELECT line FROM digest_items WHERE case_id = ?`, ids[i]); len(d) != 1 || d[0] != got.Number+" "+got.Title {
			t.Errorf("case %d digest lines = %q", ids[i], d)
		}
	}
	if n := rows(t, db, `SELECT count(*) FROM cases`); n[0] != "5" {
		t.Errorf("%s cases, want 5 (one completed, one filed before, three in the batch)", n[0])
	}
	if got := rows(t, db, `SELECT token FROM case_submissions ORDER BY token`); strings.Join(got, ",") != "tok-a,tok-b,tok-c,tok-earlier" {
		t.Errorf("tokens = %v", got)
	}
	if got := rows(t, db, `SELECT value FROM invoice_references WHERE customer_id = ?`, cust.ID); len(got) != 1 || got[0] != "Proj 7" {
		t.Errorf("Fakturamärkningar = %q, want Proj 7 once", got)
	}
	if got := rows(t, db, `SELECT reporter_name || ' ' || reporter_phone FROM users WHERE id = ?`, user.ID); got[0] != "Bo Ek 070-000 00 00" {
		t.Errorf("reporter defaults = %q", got)
	}
	if refs, err := db.InvoiceReferences(ctx, repair.CustomerScope(cust.ID), cust.ID, 10); err != nil || len(refs) != 1 {
		t.Errorf("the form's Fakturamärkningar = %q, %v: the batch's commit was not made known", refs, err)
	}
}

// A case filed together is saved with every column as the same filing
// saved alone: the batch's JSON and its statement take the columns of
// the one list the insert of a case alone has (insertCase).
func TestFileTogetherSavesAsAlone(t *testing.T) {
	db := storetest.OpenPostgres(t)
	ctx := context.Background()
	cust, user, asset := filer(t, db)
	full := func(token string) *store.Filing {
		f := filing(cust.ID, user.ID, asset.ID, token, "Diskmaskinen läcker")
		c := &f.Case
		c.SiteName, c.SitePhone1, c.SitePhone2 = "Tvättstuga 2", "+46701234567", "+46501234567"
		c.Street, c.City = "Storgatan 12 lgh 1102", "Lidköping"
		c.Access, c.AccessSealed = "Nyckel hos värden", "v1:sealed"
		c.ContractNumber, c.InvoiceReference = "AVT-9", "Proj 7"
		f.Defaults = &store.ReporterDefaults{Name: "Anna L", Phone: "+46700000000"}
		return f
	}
	alone, err := db.FileCase(ctx, full("tok-alone"))
	if err != nil {
		t.Fatal(err)
	}
	ids, errs, together := store.FileTogether(db, []*store.Filing{full("tok-together"), filing(cust.ID, user.ID, asset.ID, "tok-other", "Other")})
	if !together || errs[0] != nil {
		t.Fatalf("together %v, errs %v", together, errs)
	}
	// Every column but the case's own id, number and times, and its
	// text after the number.
	const row = `SELECT (to_jsonb(c) - 'id' - 'number' - 'registered_at' - 'updated_at' - 'search_text')::text,
		substr(search_text, length(number) + 1), search_text LIKE number || '%' FROM cases c WHERE id = ?`
	want, got := rows(t, db, row, alone), rows(t, db, row, ids[0])
	if len(want) != 1 || len(got) != 1 || got[0] != want[0] {
		t.Errorf("filed together:\n%q\nfiled alone:\n%q", got, want)
	}
	if !strings.HasSuffix(want[0], " | true") {
		t.Errorf("the text for Fritext does not begin with the number: %q", want)
	}
	// And its mail and digest line, but for the case's number in them.
	for _, q := range []string{
		`SELECT o.event, o.customer_id = c.customer_id, o.user_id, o.recipient, replace(o.subject, c.number, '#'),
			o.text_body, o.html_body, o.unsubscribe_url, o.next_attempt_at - o.created_at
		FROM outbox o JOIN cases c ON c.id = o.case_id WHERE o.case_id = ?`,
		`SELECT d.user_id, d.event, replace(d.line, c.number, '#'), replace(d.link, c.number, '#')
		FROM digest_items d JOIN cases c ON c.id = d.case_id WHERE d.case_id = ?`,
	} {
		want, got := rows(t, db, q, alone), rows(t, db, q, ids[0])
		if len(want) != 1 || len(got) != 1 || got[0] != want[0] {
			t.Errorf("filed together:\n%q\nfiled alone:\n%q", got, want)
		}
	}
}

// A batch that fails (here a machine that is not there) keeps nothing of
// itself: each filing is saved again alone, with its own result.
func TestFileTogetherFailsAlone(t *testing.T) {
	db := storetest.OpenPostgres(t)
	cust, user, asset := filer(t, db)
	good := filing(cust.ID, user.ID, asset.ID, "tok-good", "Good")
	bad := filing(cust.ID, user.ID, asset.ID+1000, "tok-bad", "No such machine")
	also := filing(cust.ID, user.ID, asset.ID, "tok-also", "Also good")
	ids, errs, together := store.FileTogether(db, []*store.Filing{good, bad, also})
	if together {
		t.Fatal("a batch with a missing machine was saved together")
	}
	if errs[0] != nil || errs[2] != nil || errs[1] == nil || ids[0] == 0 || ids[2] == 0 || ids[0] == ids[2] {
		t.Fatalf("ids %v, errs %v: want the good ones saved, the bad one refused", ids, errs)
	}
	if n := rows(t, db, `SELECT count(*) FROM cases`); n[0] != "2" {
		t.Errorf("%s cases, want 2: the failed batch left some behind", n[0])
	}
	if n := rows(t, db, `SELECT count(*) FROM outbox`); n[0] != "2" {
		t.Errorf("%s mails, want 2", n[0])
	}
}

// Concurrent filings, each token from two callers at once: each token
// gets one case, both callers its id, on both databases.
func TestFileCaseConcurrent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cust, user, asset := filer(t, db)
		const tokens = 60
		ids := make([][2]int64, tokens)
		var wg sync.WaitGroup
		for i := range tokens {
			for j := range 2 {
				wg.Go(func() {
					id, err := db.FileCase(ctx, filing(cust.ID, user.ID, asset.ID, fmt.Sprintf("tok-%d", i), fmt.Sprintf("Case %d", i)))
					if err != nil {
						t.Errorf("token %d: %v", i, err)
					}
					ids[i][j] = id
				})
			}
		}
		wg.Wait()
		seen := map[int64]bool{}
		for i, pair := range ids {
			if pair[0] != pair[1] || seen[pair[0]] {
				t.Errorf("token %d: cases %v", i, pair)
			}
			seen[pair[0]] = true
			if got, err := db.Case(ctx, repair.CustomerScope(cust.ID), pair[0]); err != nil || got.Title != fmt.Sprintf("Case %d", i) {
				t.Errorf("token %d's case %d is %q (%v)", i, pair[0], got.Title, err)
			}
		}
		if n := rows(t, db, `SELECT count(*), count(DISTINCT number) FROM cases`); n[0] != fmt.Sprintf("%d | %d", tokens, tokens) {
			t.Errorf("cases, distinct numbers = %s, want %d of each", n[0], tokens)
		}
		if n := rows(t, db, `SELECT count(*) FROM outbox`); n[0] != fmt.Sprint(tokens) {
			t.Errorf("%s mails, want %d", n[0], tokens)
		}
	})
}

// On SQLite a form's token filed before is found before the writer's
// turn: the second filing gets the first one's case without a save. A
// filing whose token was recorded after that look-up (a race) is refused
// by the token's uniqueness whole, and FileCase then gives the case of
// the first.
func TestFileCaseTokenBeforeTheWriter(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	cust, user, asset := filer(t, db)
	first, err := db.FileCase(ctx, filing(cust.ID, user.ID, asset.ID, "tok-1", "Diskmaskinen läcker"))
	if err != nil {
		t.Fatal(err)
	}
	saves := store.GroupSaves(db)
	again, err := db.FileCase(ctx, filing(cust.ID, user.ID, asset.ID, "tok-1", "Diskmaskinen läcker"))
	if err != nil || again != first {
		t.Fatalf("the token filed again: case %d (%v), want %d", again, err, first)
	}
	if n := store.GroupSaves(db) - saves; n != 0 {
		t.Errorf("the token filed again took %d saves of the writer, want none", n)
	}
	if _, err := store.FileNew(ctx, db, filing(cust.ID, user.ID, asset.ID, "tok-1", "Diskmaskinen läcker")); !errors.Is(err, repair.ErrConflict) {
		t.Errorf("a recorded token filed past the look-up: %v, want a conflict", err)
	}
	if n := rows(t, db, `SELECT count(*) FROM cases`); n[0] != "1" {
		t.Errorf("%s cases, want 1: the refused filing left a case", n[0])
	}
	if n := rows(t, db, `SELECT count(*) FROM outbox`); n[0] != "1" {
		t.Errorf("%s mails, want 1: the refused filing left a mail", n[0])
	}
}

// Text PostgreSQL refuses is refused in a batch as from a filing alone,
// never stored changed; a megabyte of text is stored whole.
func TestFileTogetherHostileText(t *testing.T) {
	db := storetest.OpenPostgres(t)
	cust := storetest.Customer(t, db, "Solgårdens Bostäder AB")
	user := storetest.User(t, db, cust.ID, repair.RoleCustomerUser, "anna@example.se", "x")
	long := strings.Repeat("Vatten står kvar. ", 1<<20/19)
	big := filing(cust.ID, user.ID, 0, "tok-big", "A megabyte")
	big.Case.Description = long
	invalid := filing(cust.ID, user.ID, 0, "tok-invalid", "Trasig \xff text")
	ids, errs, together := store.FileTogether(db, []*store.Filing{filing(cust.ID, user.ID, 0, "tok-good", "Good"), big, invalid})
	if !together || errs[0] != nil || errs[1] != nil || errs[2] == nil {
		t.Fatalf("together %v, errs %v: want the valid two together and the invalid UTF-8 refused", together, errs)
	}
	if got := rows(t, db, `SELECT length(description) FROM cases WHERE id = ?`, ids[1]); got[0] != fmt.Sprint(len([]rune(long))) {
		t.Errorf("the megabyte's description has %s characters, want %d", got[0], len([]rune(long)))
	}
	nul := filing(cust.ID, user.ID, 0, "tok-nul", "Nul\x00tecken")
	ids, errs, together = store.FileTogether(db, []*store.Filing{filing(cust.ID, user.ID, 0, "tok-after", "After"), nul})
	if together || errs[0] != nil || ids[0] == 0 || errs[1] == nil {
		t.Fatalf("together %v, ids %v, errs %v: want the NUL refused and the other saved alone", together, ids, errs)
	}
	if got := rows(t, db, `SELECT title FROM cases ORDER BY id`); strings.Join(got, "|") != "Good|A megabyte|After" {
		t.Errorf("cases = %q, want the three valid ones and nothing changed", got)
	}
}

// The mails' bodies are compressed with lz4 where the server has it
// (migration 0022), pglz where it has not.
func TestMailBodiesLZ4(t *testing.T) {
	db := storetest.OpenPostgres(t)
	want := "p" // pglz
	if has := rows(t, db, `SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'`); len(has) == 1 && has[0] == "true" {
		want = "l"
	}
	got := rows(t, db, `SELECT attname || ' ' || attcompression::text FROM pg_attribute
		WHERE attrelid = 'outbox'::regclass AND attname IN ('html_body', 'text_body') ORDER BY attname`)
	if len(got) != 2 || got[0] != "html_body "+want || got[1] != "text_body "+want {
		t.Errorf("outbox's bodies compressed by %q, want %q", got, want)
	}
}

// TestFileTogetherHostileArrays: what a batch sends as arrays (the
// reporter's defaults, the mails' bodies) takes a megabyte, and refuses
// invalid UTF-8 and a NUL as a filing alone does, keeping nothing of the
// refused filing and the rest of the batch saved.
func TestFileTogetherHostileArrays(t *testing.T) {
	db := storetest.OpenPostgres(t)
	cust := storetest.Customer(t, db, "Solgårdens Bostäder AB")
	user := storetest.User(t, db, cust.ID, repair.RoleCustomerUser, "anna@example.se", "x")
	with := func(token, name string) *store.Filing {
		f := filing(cust.ID, user.ID, 0, token, token)
		f.Defaults = &store.ReporterDefaults{Name: name, Phone: "070-123 45 67"}
		return f
	}
	long := strings.Repeat("Anna Lindqvist ", 1<<20/15)
	big := with("tok-big", long)
	big.Case.Title = long // its mail's subject, text and HTML
	ids, errs, together := store.FileTogether(db, []*store.Filing{with("tok-good", "Anna"), big, with("tok-invalid", "Anna \xff")})
	if !together || errs[0] != nil || errs[1] != nil || errs[2] == nil {
		t.Fatalf("together %v, errs %v: want the valid two together and the invalid UTF-8 refused", together, errs)
	}
	if got := rows(t, db, `SELECT length(html_body) FROM outbox WHERE case_id = ?`, ids[1]); len(got) != 1 || got[0] != fmt.Sprint(len([]rune(long))+len("<p></p>")) {
		t.Errorf("the megabyte's mail has %q characters of HTML, want %d", got, len([]rune(long))+len("<p></p>"))
	}
	if got := rows(t, db, `SELECT length(reporter_name) FROM users WHERE id = ?`, user.ID); got[0] != fmt.Sprint(len([]rune(long))) {
		t.Errorf("the reporter's default has %s characters, want %d", got[0], len([]rune(long)))
	}
	ids, errs, together = store.FileTogether(db, []*store.Filing{with("tok-after", "Anna"), with("tok-nul", "Anna\x00")})
	if together || errs[0] != nil || ids[0] == 0 || errs[1] == nil {
		t.Fatalf("together %v, ids %v, errs %v: want the NUL refused and the other saved alone", together, ids, errs)
	}
	if got := rows(t, db, `SELECT c.title || ' ' || count(o.id) FROM cases c LEFT JOIN outbox o ON o.case_id = c.id
		WHERE length(c.title) < 100 GROUP BY c.id, c.title ORDER BY c.id`); strings.Join(got, "|") != "tok-good 1|tok-after 1" {
		t.Errorf("cases and their mails = %q, want the valid short ones, a mail each", got)
	}
	if got := rows(t, db, `SELECT reporter_name FROM users WHERE id = ?`, user.ID); got[0] != "Anna" {
		t.Errorf("the reporter's default is %.20q, want the last saved one", got[0])
	}
}

// BenchmarkFileCase32 files portal cases from 32 callers at once through
// FileCase, each with its token, mail and digest line, as the Nytt ärende
// form does; on SQLite the one writer's turn is what it measures.
//
//	go test ./internal/store -run X -bench FileCase32 -benchtime 5000x
func BenchmarkFileCase32(b *testing.B) {
	db := storetest.Open(b)
	ctx := context.Background()
	cust := storetest.Customer(b, db, "Bänk AB")
	user := storetest.User(b, db, cust.ID, repair.RoleCustomerUser, "anna@example.se", "x")
	asset := storetest.Asset(b, db, cust.ID)
	var n atomic.Int64
	b.SetParallelism(16) // 32 goroutines on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if _, err := db.FileCase(ctx, filing(cust.ID, user.ID, asset.ID, fmt.Sprintf("bench-%d", i), "Diskmaskinen läcker")); err != nil {
				b.Error(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
}
