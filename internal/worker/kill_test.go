package worker_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"kundportal/internal/filestore"
	"kundportal/internal/mailtest"
	"kundportal/internal/notify"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
	"kundportal/internal/worker"
)

// TestOutboxSurvivesKill kills (kill -9) a process that files cases from
// eight writers while its outbox worker sends their mails, with the mail
// server stalling mid-send, and starts again on its database: every case
// the process acknowledged has its mail, and a worker after the restart
// sends every mail that had not gone, at once. At most the one mail in
// the middle of its send at the kill goes twice, with the same
// Message-ID.
func TestOutboxSurvivesKill(t *testing.T) {
	if dir := os.Getenv("KUNDPORTAL_MAIL_CRASH_CHILD"); dir != "" {
		mailCrashChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "kundportal.db")
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	k := storetest.Customer(t, db, "Solgården")
	u := storetest.User(t, db, k.ID, repair.RoleCustomerUser, "anna@solgarden.example", "x")
	db.Close()

	srv := mailtest.Start(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestOutboxSurvivesKill$")
	cmd.Env = append(os.Environ(), "KUNDPORTAL_MAIL_CRASH_CHILD="+dir, "KUNDPORTAL_CRASH_SMTP="+srv.URL(),
		"KUNDPORTAL_CRASH_USER="+strconv.FormatInt(u.ID, 10))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[int64]bool{}
	lines := bufio.NewScanner(out)
	deadline := time.Now().Add(20 * time.Second)
	for lines.Scan() {
		if id, ok := strings.CutPrefix(lines.Text(), "saved "); ok {
			n, _ := strconv.ParseInt(id, 10, 64)
			acked[n] = true
		}
		if len(acked) == 100 {
			// Mails are going out; from here the server holds them.
			srv.Stall()
		}
		if len(acked) >= 300 || time.Now().After(deadline) {
			break
		}
	}
	cmd.Process.Kill() // SIGKILL: no deferred code, no clean close
	cmd.Wait()
	srv.Unstall()
	if len(acked) < 100 {
		t.Fatalf("the child acknowledged only %d cases before it was killed", len(acked))
	}
	delivered := len(srv.Messages())

	db, err = store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pending := map[int64]string{} // case → message id
	for before := int64(0); ; {
		ms, more, err := db.Mails(ctx, repair.StaffScope(), store.MailFilter{Before: before, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			pending[m.CaseID] = m.MessageID
			before = m.ID
		}
		if !more {
			break
		}
	}
	for id := range acked {
		if _, ok := pending[id]; !ok {
			t.Errorf("acknowledged case %d has no mail after the kill", id)
		}
	}
	// A worker after the restart sends what had not gone, at once: the
	// dead process's claims end with it.
	w := &worker.Outbox{DB: db, Sender: smtpSender(t, srv)}
	for {
		n, err := w.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	waiting, _, err := db.Mails(ctx, repair.StaffScope(), store.MailFilter{State: repair.MailWaiting})
	if err != nil || len(waiting) != 0 {
		t.Errorf("%d mails still waiting after the restart's worker (%v)", len(waiting), err)
	}
	got := map[string]int{}
	for _, m := range srv.Messages() {
		got[strings.Trim(m.Header.Get("Message-Id"), "<>")]++
	}
	twice := 0
	for id, mid := range pending {
		switch n := got[mid]; {
		case n == 0:
			t.Errorf("case %d's mail never arrived", id)
		case n > 1:
			twice++
		}
	}
	if twice > 1 {
		t.Errorf("%d mails arrived twice, want at most the one in its send at the kill", twice)
	}
	t.Logf("%d cases acknowledged, %d mails delivered before the kill, %d after, %d twice", len(acked), delivered, len(srv.Messages())-delivered, twice)
}

// mailCrashChild files cases from eight writers as one customer user,
// printing each acknowledged case's id, while an outbox worker sends
// their mails, until it is killed.
func mailCrashChild(dir string) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "kundportal.db"))
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	files, err := filestore.NewDisk(filepath.Join(dir, "files"))
	if err != nil {
		fmt.Println("files:", err)
		os.Exit(1)
	}
	ops := orders.New(db, files, nil)
	ops.UseMail("https://portal.example")
	userID, _ := strconv.ParseInt(os.Getenv("KUNDPORTAL_CRASH_USER"), 10, 64)
	u, err := db.User(ctx, repair.StaffScope(), userID)
	if err != nil {
		fmt.Println("user:", err)
		os.Exit(1)
	}
	cfg, _ := notify.ParseSMTPURL(os.Getenv("KUNDPORTAL_CRASH_SMTP"))
	sender, _ := notify.NewSMTP(cfg, "kundportal@vitvaru.example", "Vitvaruservice")
	go (&worker.Outbox{DB: db, Sender: sender, Poll: 50 * time.Millisecond}).Run(ctx)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				id, err := ops.FileCase(ctx, u, orders.CaseInput{Token: fmt.Sprintf("w%d-%d", w, i), CaseInput: repair.CaseInput{
					Title: "Skövde Tvättmaskin stannar", Description: "Stannar mitt i programmet.", Street: "Storgatan 1",
					ReporterName: "Anna", ReporterPhone: "070-123 45 67", PostalCode: "54130", City: "Skövde", Access: "Nej"}})
				if err != nil {
					continue
				}
				mu.Lock()
				fmt.Println("saved " + strconv.FormatInt(id, 10))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
