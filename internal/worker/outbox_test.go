package worker_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kundportal/internal/mailtest"
	"kundportal/internal/metrics"
	"kundportal/internal/metrics/metricstest"
	"kundportal/internal/notify"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
	"kundportal/internal/worker"
)

// enqueue writes n mails to the outbox for customer k's user u.
func enqueue(t testing.TB, db *store.DB, k repair.Customer, u repair.User, n int) []repair.Mail {
	t.Helper()
	c := storetest.Case(t, db, k.ID, 0, "Skövde Tvättmaskin")
	var mails []repair.Mail
	storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i := range n {
			m := repair.Mail{MessageID: fmt.Sprintf("m%d-%d@portal.example", c.ID, i), Event: repair.MailReceived, CustomerID: k.ID,
				CaseID: c.ID, UserID: u.ID, Recipient: u.Email, Subject: fmt.Sprintf("Ärende %s: mottaget – åäö %d", c.Number, i),
				Text: "Hej,\n\nSe ärendet: https://portal.example/arenden/" + fmt.Sprint(c.ID) + "\n", HTML: "<p>Hej</p>",
				UnsubscribeURL: "https://portal.example/avregistrera/tok"}
			if err := tx.EnqueueMail(ctx, &m, 0); err != nil {
				return err
			}
			mails = append(mails, m)
		}
		return nil
	})
	return mails
}

// anna is a customer and its user, the mails' recipient.
func anna(t testing.TB, db *store.DB) (repair.Customer, repair.User) {
	t.Helper()
	k := storetest.Customer(t, db, "Solgården")
	return k, storetest.User(t, db, k.ID, repair.RoleCustomerUser, "anna@solgarden.example", "x")
}

func smtpSender(t testing.TB, srv *mailtest.Server) *notify.SMTP {
	t.Helper()
	cfg, err := notify.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	s, err := notify.NewSMTP(cfg, "kundportal@vitvaru.example", "Skaraborgs Vitvaruservice AB")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestOutboxSendsThroughSMTP: a mail of the outbox reaches a real SMTP
// server with its recipient, subject, Message-ID, both parts and the
// one-click unsubscribe headers, and is marked sent.
func TestOutboxSendsThroughSMTP(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		k, u := anna(t, db)
		m := enqueue(t, db, k, u, 1)[0]
		w := &worker.Outbox{DB: db, Sender: smtpSender(t, srv)}
		if n, err := w.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("RunOnce = %d, %v", n, err)
		}
		got := srv.Wait(t, 1, 10*time.Second)[0]
		if len(got.To) != 1 || got.To[0] != u.Email || got.From != "kundportal@vitvaru.example" {
			t.Errorf("envelope from %q to %v", got.From, got.To)
		}
		if got.Subject() != m.Subject || got.Header.Get("Message-Id") != "<"+m.MessageID+">" {
			t.Errorf("subject %q, message id %q; want %q, <%s>", got.Subject(), got.Header.Get("Message-Id"), m.Subject, m.MessageID)
		}
		if got.Header.Get("List-Unsubscribe") != "<https://portal.example/avregistrera/tok>" || got.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("unsubscribe headers %q, %q", got.Header.Get("List-Unsubscribe"), got.Header.Get("List-Unsubscribe-Post"))
		}
		if got.Header.Get("Auto-Submitted") != "auto-generated" || !strings.Contains(got.Header.Get("From"), "kundportal@vitvaru.example") {
			t.Errorf("headers %v", got.Header)
		}
		if !strings.Contains(got.Text, "https://portal.example/arenden/") || got.HTML != "<p>Hej</p>" {
			t.Errorf("parts: text %q, html %q", got.Text, got.HTML)
		}
		sent, err := db.Mail(ctx, repair.StaffScope(), m.ID)
		if err != nil || sent.State() != repair.MailSent || sent.Attempts != 1 || sent.Transport != repair.MailSMTP {
			t.Errorf("after sending: %+v, %v", sent, err)
		}
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Errorf("a sent mail was claimed again")
		}
	})
}

// TestOutboxRetries: a server that fails is tried again after a backoff
// that doubles, and the mail goes once it answers; a recipient refused
// for good fails at once, until the office tries again; with no server
// the mail is marked as shown on the Utskick page.
func TestOutboxRetries(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		k, u := anna(t, db)
		m := enqueue(t, db, k, u, 1)[0]
		clock := time.Now()
		counts := metrics.New()
		w := &worker.Outbox{DB: db, Sender: smtpSender(t, srv), Now: func() time.Time { return clock }, Metrics: counts}
		srv.FailNext(2)
		for attempt, wait := range []time.Duration{time.Minute, 2 * time.Minute} {
			if n, err := w.RunOnce(ctx); n != 1 || err != nil {
				t.Fatalf("attempt %d: RunOnce = %d, %v", attempt+1, n, err)
			}
			got, _ := db.Mail(ctx, repair.StaffScope(), m.ID)
			if got.State() != repair.MailWaiting || got.Attempts != attempt+1 || !strings.Contains(got.LastError, "451") ||
				got.NextAttemptAt.Sub(clock).Round(time.Second) != wait {
				t.Errorf("after failed attempt %d: %s, %d attempts, %q, next in %v; want waiting, next in %v",
					attempt+1, got.State(), got.Attempts, got.LastError, got.NextAttemptAt.Sub(clock), wait)
			}
			if n, _ := w.RunOnce(ctx); n != 0 {
				t.Errorf("attempt %d: tried again before the backoff ended", attempt+1)
			}
			clock = clock.Add(wait)
		}
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("third attempt: %d, %v", n, err)
		}
		if got, _ := db.Mail(ctx, repair.StaffScope(), m.ID); got.State() != repair.MailSent || got.Attempts != 3 || got.LastError != "" {
			t.Errorf("after the third attempt: %s, %d attempts, %q", got.State(), got.Attempts, got.LastError)
		}
		if len(srv.Messages()) != 1 {
			t.Errorf("%d messages arrived, want one", len(srv.Messages()))
		}

		gone := storetest.User(t, db, k.ID, repair.RoleCustomerUser, "slutat@solgarden.example", "x")
		srv.Refuse(gone.Email)
		r := enqueue(t, db, k, gone, 1)[0]
		w.RunOnce(ctx)
		got, _ := db.Mail(ctx, repair.StaffScope(), r.ID)
		if got.State() != repair.MailFailed || got.Attempts != 1 || !strings.Contains(got.LastError, "550") {
			t.Errorf("a refused recipient: %s after %d attempts (%q), want failed at once", got.State(), got.Attempts, got.LastError)
		}
		if retried, err := retry(ctx, db, r.ID); err != nil || !retried {
			t.Fatalf("retry: %v, %v", retried, err)
		}
		if got, _ := db.Mail(ctx, repair.StaffScope(), r.ID); got.State() != repair.MailWaiting || !got.NextAttemptAt.Before(time.Now().Add(time.Second)) {
			t.Errorf("after the office's retry: %s, due %v", got.State(), got.NextAttemptAt)
		}
		// Two failed attempts, one sent mail, one given up on.
		fams := metricstest.Scrape(t, counts.Handler(slog.Default()))
		if sent, retried, gaveUp := fams.Value("kundportal_mail_sent_total", nil),
			fams.Value("kundportal_mail_send_failures_total", map[string]string{"final": "false"}),
			fams.Value("kundportal_mail_send_failures_total", map[string]string{"final": "true"}); sent != 1 || retried != 2 || gaveUp != 1 {
			t.Errorf("metrics: %v sent, %v failed attempts retried, %v given up; want 1, 2, 1", sent, retried, gaveUp)
		}

		// No mail server: the mails due are shown on the Utskick page,
		// the claim's batch at once (with them one of the above, due
		// again at clock); the next claim finds none.
		shown := enqueue(t, db, k, u, 3)
		none := &worker.Outbox{DB: db, Now: func() time.Time { return clock }}
		if n, err := none.RunOnce(ctx); n < len(shown) || err != nil {
			t.Errorf("without a server: %d claimed, %v; want the %d new ones at least", n, err, len(shown))
		}
		for _, m := range shown {
			if got, _ := db.Mail(ctx, repair.StaffScope(), m.ID); got.State() != repair.MailShown || got.Transport != repair.MailUtskick {
				t.Errorf("without a server: mail %d %s by %q, want shown", m.ID, got.State(), got.Transport)
			}
		}
		if n, err := none.RunOnce(ctx); n != 0 || err != nil {
			t.Errorf("after the batch is shown: %d claimed, %v; want none", n, err)
		}
	})
}

func retry(ctx context.Context, db *store.DB, id int64) (bool, error) {
	var retried bool
	err := db.Update(ctx, func(tx *store.Tx) error {
		var err error
		retried, err = tx.RetryMail(ctx, id)
		return err
	})
	return retried, err
}

// TestOutboxClaimsOnce: four workers sending from one outbox at once
// (several instances, on PostgreSQL) send every mail exactly once.
func TestOutboxClaimsOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		k, u := anna(t, db)
		mails := enqueue(t, db, k, u, 120)
		var wg sync.WaitGroup
		for range 4 {
			w := &worker.Outbox{DB: db, Sender: smtpSender(t, srv)}
			wg.Go(func() {
				for {
					if n, err := w.RunOnce(ctx); err != nil || n == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		got := srv.Wait(t, len(mails), 30*time.Second)
		seen := map[string]int{}
		for _, m := range got {
			seen[m.Header.Get("Message-Id")]++
		}
		for _, m := range mails {
			if n := seen["<"+m.MessageID+">"]; n != 1 {
				t.Errorf("mail %s arrived %d times, want once", m.MessageID, n)
			}
		}
		if len(got) != len(mails) {
			t.Errorf("%d messages for %d mails", len(got), len(mails))
		}
	})
}

// TestOutboxShowsOnce: four workers without a mail server at once show
// every mail on the Utskick page once, as one attempt, and tell between
// them exactly how many they showed.
func TestOutboxShowsOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k, u := anna(t, db)
		mails := enqueue(t, db, k, u, 120)
		var wg sync.WaitGroup
		var shown atomic.Int64
		for range 4 {
			w := &worker.Outbox{DB: db}
			wg.Go(func() {
				for {
					n, err := w.RunOnce(ctx)
					if err != nil {
						t.Error(err)
					}
					if err != nil || n == 0 {
						return
					}
					shown.Add(int64(n))
				}
			})
		}
		wg.Wait()
		if shown.Load() != int64(len(mails)) {
			t.Errorf("the workers told of %d mails shown, want %d", shown.Load(), len(mails))
		}
		for _, m := range mails {
			if got, _ := db.Mail(ctx, repair.StaffScope(), m.ID); got.State() != repair.MailShown || got.Attempts != 1 {
				t.Errorf("mail %d %s after %d attempts, want shown after 1", m.ID, got.State(), got.Attempts)
			}
		}
	})
}

// TestOutboxClaimEnds: a worker that dies after claiming leaves its mails
// to the next once the lease ends, and not before.
func TestOutboxClaimEnds(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		k, u := anna(t, db)
		m := enqueue(t, db, k, u, 1)[0]
		now := time.Now()
		if claimed, err := db.ClaimMail(ctx, now, 2*time.Minute, 10); err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		// ... and the claimer dies.
		w := &worker.Outbox{DB: db, Sender: smtpSender(t, srv), Lease: 2 * time.Minute, Now: func() time.Time { return now.Add(time.Minute) }}
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Errorf("another worker took a claimed mail within the lease")
		}
		w.Now = func() time.Time { return now.Add(3 * time.Minute) }
		if n, _ := w.RunOnce(ctx); n != 1 {
			t.Fatalf("after the lease: %d claimed, want the mail", n)
		}
		if got, _ := db.Mail(ctx, repair.StaffScope(), m.ID); got.State() != repair.MailSent || got.Attempts != 2 {
			t.Errorf("after the lease: %s, %d attempts", got.State(), got.Attempts)
		}
	})
}

// TestOutboxClaimsABatch: a claim takes the n mails due first, in order,
// each counted as an attempt, and the next claim the rest.
func TestOutboxClaimsABatch(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k, u := anna(t, db)
		mails := enqueue(t, db, k, u, 5)
		now := time.Now()
		first, err := db.ClaimMail(ctx, now, time.Minute, 3)
		if err != nil {
			t.Fatal(err)
		}
		rest, err := db.ClaimMail(ctx, now, time.Minute, 3)
		if err != nil {
			t.Fatal(err)
		}
		got := append(first, rest...)
		if len(first) != 3 || len(got) != len(mails) {
			t.Fatalf("claimed %d, then %d; want 3, then 2", len(first), len(rest))
		}
		for i, m := range got {
			if m.ID != mails[i].ID || m.Subject != mails[i].Subject || m.Attempts != 1 {
				t.Errorf("claimed mail %d: id %d, %q, %d attempts; want id %d, %q, 1", i, m.ID, m.Subject, m.Attempts, mails[i].ID, mails[i].Subject)
			}
		}
		if again, err := db.ClaimMail(ctx, now, time.Minute, 3); err != nil || len(again) != 0 {
			t.Errorf("a third claim within the lease: %d mails, %v", len(again), err)
		}
	})
}

// TestBackoff: a minute, doubling, at most six hours.
func TestBackoff(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 9: 256 * time.Minute, 10: 6 * time.Hour, 50: 6 * time.Hour} {
		if got := worker.Backoff(attempt); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempt, got, want)
		}
	}
}

// BenchmarkOutboxOneMail is the worker under a trickle of new cases:
// each claim finds the one mail written since the last, and records it
// in Utskick (no mail server). A mail a round: the claim, reading the
// mail and marking it sent are the whole cost, on each database.
func BenchmarkOutboxOneMail(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			db := d.Open(b)
			ctx := context.Background()
			k, u := anna(b, db)
			w := &worker.Outbox{DB: db}
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				enqueue(b, db, k, u, 1)
				b.StartTimer()
				if n, err := w.RunOnce(ctx); err != nil || n != 1 {
					b.Fatalf("sent %d, %v; want 1", n, err)
				}
			}
		})
	}
}
