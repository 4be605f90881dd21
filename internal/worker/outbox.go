// Package worker runs Kundportal's background work. Outbox sends the
// mails the operations wrote to the outbox (store.Tx.EnqueueMail).
package worker

import (
	"context"
	"log/slog"
	"time"

	"kundportal/internal/metrics"
	"kundportal/internal/notify"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// Outbox sends the outbox's mails: at once after a commit that wrote
// some (store.DB.MailQueued), and at every poll for those due later (a
// retry, or another instance's). A failed send is tried again after a
// backoff that doubles from a minute to six hours; after MaxAttempts, or
// at once for a mail the server refused for good, the worker gives up and
// the Utskick page shows the mail as failed. A failing mail server
// delays mail and nothing else.
type Outbox struct {
	DB *store.DB
	// Sender sends the mails; nil means no mail server is set: each mail
	// is marked as shown on the Utskick page instead.
	Sender      notify.Sender
	Poll        time.Duration // default 10 s
	Lease       time.Duration // how long a claimed mail is this worker's; default 2 min
	MaxAttempts int           // default 10
	Now         func() time.Time
	Log         *slog.Logger
	Metrics     *metrics.Metrics // counts sent mails and failed attempts; nil counts nothing
}

const batch = 20

func (w *Outbox) defaults() {
	if w.Poll <= 0 {
		w.Poll = 10 * time.Second
	}
	if w.Lease <= 0 {
		w.Lease = 2 * time.Minute
	}
	if w.MaxAttempts <= 0 {
		w.MaxAttempts = 10
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
}

// Run sends until ctx is done; a send under way when it is finishes
// first (within the sender's own timeout).
func (w *Outbox) Run(ctx context.Context) {
	w.defaults()
	tick := time.NewTicker(w.Poll)
	defer tick.Stop()
	for {
		for {
			n, err := w.RunOnce(ctx)
			if err != nil {
				if ctx.Err() == nil {
					w.Log.Error("outbox", "err", err)
				}
				break
			}
			if n < batch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-w.DB.MailQueued():
		}
	}
}

// RunOnce claims the mails due now and sends them, or without a mail
// server shows them on the Utskick page; it reports how many.
func (w *Outbox) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	if w.Sender == nil {
		// No mail server: the mails due are shown on the Utskick page,
		// a batch at once.
		return w.DB.ShowMail(ctx, w.Now(), batch)
	}
	mails, err := w.DB.ClaimMail(ctx, w.Now(), w.Lease, batch)
	if err != nil {
		return 0, err
	}
	// What is claimed is sent and recorded even as the server stops, so
	// that a stop neither cuts a send short nor leaves it unrecorded.
	work := context.WithoutCancel(ctx)
	for _, m := range mails {
		if ctx.Err() != nil {
			// The rest wait for the next start (their lease ends).
			break
		}
		w.send(work, m)
	}
	return len(mails), nil
}

func (w *Outbox) send(ctx context.Context, m repair.Mail) {
	sendCtx, cancel := context.WithTimeout(ctx, time.Minute)
	err := w.Sender.Send(sendCtx, notify.Message{
		MessageID: m.MessageID, To: m.Recipient, Subject: m.Subject, Text: m.Text, HTML: m.HTML,
		UnsubscribeURL: m.UnsubscribeURL,
	})
	cancel()
	if err == nil {
		w.Metrics.MailSent()
		if err := w.DB.MailSent(ctx, m.ID, repair.MailSMTP); err != nil {
			// Sent, but not recorded: it goes again after the lease,
			// with the same Message-ID.
			w.Log.Error("outbox: record mail sent", "id", m.ID, "err", err)
		}
		return
	}
	giveUp := notify.Permanent(err) || m.Attempts >= w.MaxAttempts
	w.Metrics.MailFailed(giveUp)
	next := w.Now().Add(Backoff(m.Attempts))
	w.Log.Warn("outbox: send failed", "id", m.ID, "attempt", m.Attempts, "give_up", giveUp, "err", err)
	if err := w.DB.MailFailed(ctx, m.ID, err.Error(), next, giveUp); err != nil {
		w.Log.Error("outbox: record mail failed", "id", m.ID, "err", err)
	}
}

// Backoff is the wait after the attempt-th failed attempt: a minute,
// doubling, at most six hours.
func Backoff(attempt int) time.Duration {
	d := time.Minute
	for i := 1; i < attempt && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}
