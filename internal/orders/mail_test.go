package orders_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"kundportal/internal/filestore"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
	"kundportal/internal/sv"
)

// TestCaseMails follows a case from filing to the signed delivery note:
// each step writes its mail to the right people, in the step's own
// transaction, with what the step is about (the visit's window, the part,
// the signed note's link) and absolute links from the site's address;
// the reporter gets them by default, a colleague who chose all cases
// too, a colleague with the default, a blocked user and another
// customer's user do not; one who unsubscribed gets that event no more.
func TestCaseMails(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		w.ops.UseMail("https://portal.example/")
		bertil := storetest.User(t, db, w.mine.ID, repair.RoleCustomerUser, "bertil@solgarden.example", "x")
		cecilia := storetest.User(t, db, w.mine.ID, repair.RoleCustomerAdmin, "cecilia@solgarden.example", "x")
		blocked := storetest.User(t, db, w.mine.ID, repair.RoleCustomerUser, "blockerad@solgarden.example", "x")
		for _, u := range []repair.User{bertil, blocked, w.olle} {
			all := repair.MailSettings{}
			for _, e := range repair.MailEvents {
				all[e] = repair.MailAll
			}
			if err := w.ops.SetMailSettings(ctx, u, all, false); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.ops.SetCustomerUserDisabled(ctx, w.disp, blocked.ID, true); err != nil {
			t.Fatal(err)
		}
		in := caseInput("m1")
		in.Title = `Skövde Diskmaskin <läcker> & "stannar"`
		in.AssetNumber = w.myAsset.Number
		id := w.newCase(in)
		c, err := db.Case(ctx, repair.StaffScope(), id)
		if err != nil {
			t.Fatal(err)
		}

		// mails are the case's mails of event e, by recipient.
		mails := func(e repair.MailEvent) map[string]repair.Mail {
			t.Helper()
			ms, _, err := db.Mails(ctx, repair.StaffScope(), store.MailFilter{CaseID: id})
			if err != nil {
				t.Fatal(err)
			}
			by := map[string]repair.Mail{}
			for _, m := range ms {
				if m.Event == e {
					by[m.Recipient] = m
				}
			}
			return by
		}
		recipients := func(by map[string]repair.Mail) []string {
			var r []string
			for k := range by {
				r = append(r, k)
			}
			slices.Sort(r)
			return r
		}
		want := []string{w.anna.Email, bertil.Email}

		received := mails(repair.MailReceived)
		if got := recipients(received); !slices.Equal(got, want) {
			t.Fatalf("received: to %v, want %v (not %s with the default, nor the blocked, nor another customer's)", got, want, cecilia.Email)
		}
		m := received[w.anna.Email]
		caseURL := "https://portal.example/arenden/" + itoa(id)
		if !strings.Contains(m.Subject, c.Number) || !strings.Contains(m.Subject, "mottaget") || strings.Contains(m.Subject, "\n") {
			t.Errorf("received subject %q", m.Subject)
		}
		for _, part := range []string{"Hej " + w.anna.Name, caseURL, "Objekt " + w.myAsset.Number, "Storgatan 1, 541 30 Skövde", "Vi planerar ett besök",
			"https://portal.example/e-post", "https://portal.example/avregistrera/"} {
			if !strings.Contains(m.Text, part) {
				t.Errorf("received text lacks %q:\n%s", part, m.Text)
			}
		}
		if !strings.Contains(m.HTML, `href="`+caseURL+`"`) || !strings.Contains(m.HTML, "&lt;läcker&gt; &amp; &#34;stannar&#34;") || strings.Contains(m.HTML, "<läcker>") {
			t.Errorf("received HTML: link or escaping wrong:\n%s", m.HTML)
		}
		if !strings.HasPrefix(m.UnsubscribeURL, "https://portal.example/avregistrera/") || m.CustomerID != w.mine.ID || m.UserID != w.anna.ID || m.CaseID != id {
			t.Errorf("received mail %+v", m)
		}
		// Drafted before the case had a number and an id: nothing of the
		// marks that stood for them is left.
		for _, part := range []string{m.Subject, m.Text, m.HTML} {
			if strings.Contains(part, "kpnr") || strings.Contains(part, "kpid") || strings.Contains(part, "/arenden/0") {
				t.Errorf("received mail keeps a mark:\n%s", part)
			}
		}
		if m.MessageID == received[bertil.Email].MessageID || !strings.HasSuffix(m.MessageID, "@portal.example") {
			t.Errorf("message ids %q and %q: want one each, at the site's host", m.MessageID, received[bertil.Email].MessageID)
		}

		// Planned: the visit's day and window.
		wo, err := w.ops.PlanWorkOrder(ctx, w.disp, id, repair.WorkOrderInput{TechnicianID: itoa(w.tech.ID), Date: "2026-03-17", From: "08:00", Until: "10:00"})
		if err != nil {
			t.Fatal(err)
		}
		planned := mails(repair.MailPlanned)
		if got := recipients(planned); !slices.Equal(got, want) {
			t.Errorf("planned: to %v, want %v", got, want)
		}
		if p := planned[w.anna.Email]; !strings.Contains(p.Subject, "tisdag 2026-03-17 kl. 08:00–10:00") || !strings.Contains(p.Text, "Teknikern kommer tisdag 2026-03-17 kl. 08:00–10:00") {
			t.Errorf("planned mail: %q\n%s", p.Subject, p.Text)
		}

		// Waiting for a part: the part.
		if _, err := w.ops.StartWorkOrder(ctx, w.tech, wo.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.ops.WaitForPart(ctx, w.tech, wo.ID, "Tömningspump Electrolux 1234"); err != nil {
			t.Fatal(err)
		}
		if p := mails(repair.MailAwaitingPart)[w.anna.Email]; !strings.Contains(p.Text, "Tömningspump Electrolux 1234") || !strings.Contains(p.Subject, "väntar på reservdel") {
			t.Errorf("awaiting part mail: %q\n%s", p.Subject, p.Text)
		}

		// Done: held for the delivery note signed right after, then
		// linking to it.
		if _, err := w.ops.RecordAction(ctx, w.tech, wo.ID, repair.ActionInput{Date: "2026-03-16", Description: "Bytt pump", Time: "1 h", Visible: true}); err != nil {
			t.Fatal(err)
		}
		before := time.Now()
		if _, err := w.ops.FinishWorkOrder(ctx, w.tech, wo.ID, orders.FinishInput{Outcome: repair.OutcomeWorkDone}); err != nil {
			t.Fatal(err)
		}
		done := mails(repair.MailDone)[w.anna.Email]
		if done.NextAttemptAt.Before(before.Add(9*time.Minute)) || strings.Contains(done.Text, "/filer/") {
			t.Errorf("done mail due %v (finished at %v), text:\n%s\nwant held ten minutes, no note yet", done.NextAttemptAt, before, done.Text)
		}
		note, err := w.ops.SignDeliveryNote(ctx, w.tech, wo.ID, orders.SignInput{How: repair.NoteSigned, SignerName: "Anna Lindqvist", Signature: stroke(), ClientID: "s1"})
		if err != nil {
			t.Fatal(err)
		}
		noteURL := "https://portal.example/filer/" + itoa(note.FileID)
		for _, r := range want {
			d := mails(repair.MailDone)[r]
			if !strings.Contains(d.Text, "Signerad följesedel: "+noteURL) || !strings.Contains(d.HTML, `href="`+noteURL+`"`) {
				t.Errorf("done mail to %s after signing lacks the note's link %s:\n%s", r, noteURL, d.Text)
			}
		}

		// Anna unsubscribes from planned visits with her mail's link:
		// the next visit's mail goes to Bertil alone.
		token := strings.TrimPrefix(planned[w.anna.Email].UnsubscribeURL, "https://portal.example/avregistrera/")
		if _, err := w.ops.Unsubscribe(ctx, token[:len(token)-1]+"x"); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("a forged token: %v, want not found", err)
		}
		if us, err := w.ops.Unsubscribe(ctx, token); err != nil || us.Event != repair.MailPlanned || us.UserID != w.anna.ID {
			t.Fatalf("unsubscribe: %+v, %v", us, err)
		}
		id2 := w.newCase(caseInput("m2"))
		if _, err := w.ops.PlanWorkOrder(ctx, w.disp, id2, repair.WorkOrderInput{TechnicianID: itoa(w.tech.ID), Date: "2026-03-18", From: "08:00", Until: "10:00"}); err != nil {
			t.Fatal(err)
		}
		ms, _, _ := db.Mails(ctx, repair.StaffScope(), store.MailFilter{CaseID: id2})
		var got []string
		for _, m := range ms {
			got = append(got, string(m.Event)+" "+m.Recipient)
		}
		slices.Sort(got)
		if wantGot := []string{"case_planned " + bertil.Email, "case_received " + w.anna.Email, "case_received " + bertil.Email}; !slices.Equal(got, wantGot) {
			t.Errorf("second case's mails %v, want %v", got, wantGot)
		}

		// Cancelled by the customer: the reason.
		id3 := w.newCase(caseInput("m3"))
		if err := w.ops.CancelByCustomer(ctx, w.anna, id3, repair.CustomerCancelInput{Reason: "Felet har försvunnit"}); err != nil {
			t.Fatal(err)
		}
		ms, _, _ = db.Mails(ctx, repair.StaffScope(), store.MailFilter{CaseID: id3})
		if len(ms) != 4 || ms[0].Event != repair.MailCancelled || !strings.Contains(ms[0].Text, "Felet har försvunnit") {
			t.Errorf("cancelled: %d mails, newest %s:\n%s", len(ms), ms[0].Event, ms[0].Text)
		}

		// Only the customer's own mails, for the customer's scope.
		theirs, _, err := db.Mails(ctx, repair.CustomerScope(w.theirs.ID), store.MailFilter{})
		if err != nil || len(theirs) != 0 {
			t.Errorf("another customer's scope sees %d mails (%v), want none", len(theirs), err)
		}
		if _, err := db.Mail(ctx, repair.CustomerScope(w.theirs.ID), m.ID); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("another customer reads a mail: %v, want not found", err)
		}
	})
}

// TestMailWithTheChange: a change that fails writes none of its mails,
// and one that is refused (a bad form) writes none either.
func TestMailWithTheChange(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		count := func() int {
			ms, _, err := db.Mails(ctx, repair.StaffScope(), store.MailFilter{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			return len(ms)
		}
		bad := caseInput("bad")
		bad.Title = ""
		if _, err := w.ops.FileCase(ctx, w.anna, bad); err == nil {
			t.Fatal("a case without a title was filed")
		}
		failed := errors.New("disk full")
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.EnqueueMail(ctx, &repair.Mail{MessageID: "x@y", Event: repair.MailReceived, Recipient: "a@b.example", Subject: "s", Text: "t"}, 0); err != nil {
				return err
			}
			return failed
		})
		if !errors.Is(err, failed) || count() != 0 {
			t.Errorf("after a failed change: %d mails (%v), want none", count(), err)
		}
		w.newCase(caseInput("ok"))
		if count() != 1 {
			t.Errorf("after a filed case: %d mails, want one", count())
		}
	})
}

// TestReceivedMailFollowsSettings: the mail of a case filed right after
// a colleague changes what it gets, or is blocked, goes where the
// settings now say, though the store keeps the recipients between saves.
func TestReceivedMailFollowsSettings(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		bertil := storetest.User(t, db, w.mine.ID, repair.RoleCustomerUser, "bertil@solgarden.example", "x")
		file := func(token string, want ...string) {
			t.Helper()
			id := w.newCase(caseInput(token))
			ms, _, err := db.Mails(ctx, repair.StaffScope(), store.MailFilter{CaseID: id})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range ms {
				got = append(got, m.Recipient)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("case %s mailed %v, want %v", token, got, want)
			}
		}
		file("r1", w.anna.Email)
		file("r2", w.anna.Email)
		if err := w.ops.SetMailSettings(ctx, bertil, repair.MailSettings{repair.MailReceived: repair.MailAll}, false); err != nil {
			t.Fatal(err)
		}
		file("r3", w.anna.Email, bertil.Email)
		if _, err := w.ops.SetCustomerUserDisabled(ctx, w.disp, bertil.ID, true); err != nil {
			t.Fatal(err)
		}
		file("r4", w.anna.Email)
		if err := w.ops.SetMailSettings(ctx, w.anna, repair.MailSettings{repair.MailReceived: repair.MailNone}, false); err != nil {
			t.Fatal(err)
		}
		file("r5")
	})
}

// TestMailSettings: every event needs one of the three choices, and only
// customer users have settings.
func TestMailSettings(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		s, err := w.ops.MailSettings(ctx, w.anna)
		if err != nil || s.For(repair.MailDone) != repair.MailMine {
			t.Fatalf("defaults: %v, %v", s, err)
		}
		bad := repair.MailSettings{repair.MailDone: "kanske"}
		wantFields(t, "a choice that is none of the three", w.ops.SetMailSettings(ctx, w.anna, bad, false), string(repair.MailDone))
		if err := w.ops.SetMailSettings(ctx, w.anna, repair.MailSettings{repair.MailDone: repair.MailAll, repair.MailPlanned: repair.MailNone}, false); err != nil {
			t.Fatal(err)
		}
		s, _ = w.ops.MailSettings(ctx, w.anna)
		if s.For(repair.MailDone) != repair.MailAll || s.For(repair.MailPlanned) != repair.MailNone || s.For(repair.MailReceived) != repair.MailMine {
			t.Errorf("settings after saving: %v", s)
		}
		if _, err := w.ops.MailSettings(ctx, w.disp); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("a dispatcher's mail settings: %v, want not found", err)
		}
	})
}

// TestDailyDigest: a user who chose the digest gets no mail per event but
// one a day, after DigestHour, with a line and a link per event from
// before it; the events after wait for the next day's; its unsubscribe
// link ends every case mail and the digest.
func TestDailyDigest(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		clock := time.Date(2026, 3, 16, 6, 30, 0, 0, repair.Stockholm) // before seven
		w := newWorld(t, db)
		files, err := filestore.NewDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		ops := orders.New(db, files, func() time.Time { return clock })
		ops.UseMail("https://portal.example")
		ctx := context.Background()
		if err := ops.SetMailSettings(ctx, w.anna, repair.MailSettings{}, true); err != nil {
			t.Fatal(err)
		}
		anna, _ := db.User(ctx, repair.StaffScope(), w.anna.ID)
		if !anna.MailDigest {
			t.Fatal("the digest is not on")
		}
		id1, err := ops.FileCase(ctx, anna, caseInput("d1"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ops.PlanWorkOrder(ctx, w.disp, id1, repair.WorkOrderInput{TechnicianID: itoa(w.tech.ID), Date: "2026-03-17", From: "08:00", Until: "10:00"}); err != nil {
			t.Fatal(err)
		}
		mails := func() []repair.Mail {
			ms, _, err := db.Mails(ctx, repair.StaffScope(), store.MailFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return ms
		}
		if n := len(mails()); n != 0 {
			t.Fatalf("%d mails for events of a user with the digest, want none", n)
		}
		// The store's clock dates the lines now: today's digest, gone
		// at seven, has none of them; tomorrow's, after seven, has both.
		clock = time.Now()
		if n, err := ops.SendDigests(ctx); err != nil || n != 0 {
			t.Fatalf("a digest of lines from after today's: %d, %v", n, err)
		}
		clock = time.Now().In(repair.Stockholm).AddDate(0, 0, 1)
		clock = time.Date(clock.Year(), clock.Month(), clock.Day(), 7, 30, 0, 0, repair.Stockholm)
		if n, err := ops.SendDigests(ctx); err != nil || n != 1 {
			t.Fatalf("the next morning after seven: %d digests, %v; want one", n, err)
		}
		ms := mails()
		d := ms[0]
		if len(ms) != 1 || d.Event != repair.MailDigest || d.Recipient != anna.Email || !strings.Contains(d.Subject, "2 händelser") {
			t.Fatalf("digest %q to %s", d.Subject, d.Recipient)
		}
		for _, want := range []string{"mottaget", "besök tisdag 2026-03-17 kl. 08:00–10:00", "https://portal.example/arenden/" + itoa(id1)} {
			if !strings.Contains(d.Text, want) {
				t.Errorf("digest lacks %q:\n%s", want, d.Text)
			}
		}
		if n, _ := ops.SendDigests(ctx); n != 0 {
			t.Errorf("a second digest of the same lines: %d", n)
		}
		token := strings.TrimPrefix(d.UnsubscribeURL, "https://portal.example/avregistrera/")
		if _, err := ops.Unsubscribe(ctx, token); err != nil {
			t.Fatal(err)
		}
		s, _ := db.MailSettings(ctx, anna.ID)
		anna, _ = db.User(ctx, repair.StaffScope(), anna.ID)
		for _, e := range repair.MailEvents {
			if s.For(e) != repair.MailNone {
				t.Errorf("after the digest's unsubscribe, %s: %s", e, s.For(e))
			}
		}
		if anna.MailDigest {
			t.Error("the digest is still on")
		}
	})
}

// TestInvoiceMails: a new invoice is mailed to the customer's admins by
// default and to the users who chose it, with the amount and a link to
// its Fakturaspecifikation; a credit note too; a customer that shows
// invoices to its admins only mails its users none, whatever they chose.
func TestInvoiceMails(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		w.ops.UseMail("https://portal.example")
		karin := storetest.User(t, db, w.mine.ID, repair.RoleCustomerAdmin, "karin@solgarden.example", "x")
		invoiceMails := func() []string {
			ms, _, err := db.Mails(ctx, repair.StaffScope(), store.MailFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var to []string
			for _, m := range ms {
				if m.Event == repair.MailInvoice {
					to = append(to, m.Recipient+" "+m.Subject)
				}
			}
			slices.Sort(to)
			return to
		}
		a := w.newCase(caseInput("a"))
		w.doneWork(a, "890,50")
		if err := w.ops.SetCaseStatus(ctx, w.disp, a, repair.StatusInput{To: "completed"}); err != nil {
			t.Fatal(err)
		}
		from, to := db.Now().Add(-24*time.Hour), db.Now().Add(24*time.Hour)
		inv, err := w.ops.IssueInvoice(ctx, w.disp, w.mine.ID, from, to)
		if err != nil {
			t.Fatal(err)
		}
		got := invoiceMails()
		if len(got) != 1 || !strings.HasPrefix(got[0], karin.Email+" Faktura "+inv.Number) {
			t.Fatalf("invoice mails %q, want karin's (the admin) alone", got)
		}
		ms, _, _ := db.Mails(ctx, repair.CustomerScope(w.mine.ID), store.MailFilter{})
		if !strings.Contains(ms[0].Text, "https://portal.example/fakturaspecifikation?faktura="+itoa(inv.ID)) || !strings.Contains(ms[0].Text, "Att betala: "+sv.Money(inv.Totals.ToPayOre)) {
			t.Errorf("invoice mail:\n%s", ms[0].Text)
		}
		// Anna chooses the invoices' mail; the credit note goes to both.
		if err := w.ops.SetMailSettings(ctx, w.anna, repair.MailSettings{repair.MailInvoice: repair.MailAll}, false); err != nil {
			t.Fatal(err)
		}
		credit, err := w.ops.CreditInvoice(ctx, w.disp, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		got = invoiceMails()
		if len(got) != 3 || !strings.HasPrefix(got[0], w.anna.Email+" Kreditfaktura "+credit.Number) {
			t.Errorf("after the credit note: %q", got)
		}
		wantFields(t, "a choice for invoices that is not yes or no", w.ops.SetMailSettings(ctx, w.anna, repair.MailSettings{repair.MailInvoice: repair.MailMine}, false), string(repair.MailInvoice))

		// Invoices for the admins only: anna's choice no longer counts.
		k, err := db.Customer(ctx, repair.StaffScope(), w.mine.ID)
		if err != nil {
			t.Fatal(err)
		}
		k.InvoicesAdminsOnly = true
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.UpdateCustomer(ctx, k) })
		b := w.newCase(caseInput("b"))
		w.doneWork(b, "100")
		if err := w.ops.SetCaseStatus(ctx, w.disp, b, repair.StatusInput{To: "completed"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ops.IssueInvoice(ctx, w.disp, w.mine.ID, from, to); err != nil {
			t.Fatal(err)
		}
		if got := invoiceMails(); len(got) != 4 || strings.Count(strings.Join(got, "|"), w.anna.Email) != 1 {
			t.Errorf("with invoices for the admins only: %q, want karin's new one and no more of anna's", got)
		}
	})
}
