package orders_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// now is the operations' clock in these tests: a Monday in March.
var now = time.Date(2026, time.March, 16, 10, 0, 0, 0, repair.Stockholm)

type world struct {
	t                testing.TB
	db               *store.DB
	ops              *orders.Ops
	mine, theirs     repair.Customer
	anna, olle       repair.User
	disp, tech, adm  repair.User
	myAsset, theirAs repair.Asset
	myContract       repair.Contract
	theirContract    repair.Contract
}

func newWorld(t testing.TB, db *store.DB) *world {
	t.Helper()
	files := storetest.Files(t, db)
	hash, err := auth.HashPassword("rätt-lösenord-1")
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, db: db, ops: orders.New(db, files, func() time.Time { return now })}
	w.mine = storetest.Customer(t, db, "Solgårdens Bostäder AB")
	w.theirs = storetest.Customer(t, db, "Björkhagens äldreboende")
	w.anna = storetest.User(t, db, w.mine.ID, repair.RoleCustomerUser, "anna@solgarden.example", hash)
	w.olle = storetest.User(t, db, w.theirs.ID, repair.RoleCustomerUser, "olle@bjorkhagen.example", hash)
	w.disp = storetest.User(t, db, 0, repair.RoleDispatcher, "disp@kundportal.example", hash)
	w.tech = storetest.User(t, db, 0, repair.RoleTechnician, "tekniker@kundportal.example", hash)
	w.adm = storetest.User(t, db, 0, repair.RoleAdmin, "admin@kundportal.example", hash)
	w.myAsset = storetest.Asset(t, db, w.mine.ID)
	w.theirAs = storetest.Asset(t, db, w.theirs.ID)
	ctx := context.Background()
	if w.myContract, err = w.ops.CreateContract(ctx, w.disp, w.mine.ID, repair.ContractInput{Number: "AV-1", HourlyRate: "590"}); err != nil {
		t.Fatal(err)
	}
	if w.theirContract, err = w.ops.CreateContract(ctx, w.disp, w.theirs.ID, repair.ContractInput{Number: "AV-9"}); err != nil {
		t.Fatal(err)
	}
	return w
}

// newCase files a case as the customer user anna, read afresh as her
// session would be.
func (w *world) newCase(in orders.CaseInput) int64 {
	w.t.Helper()
	anna, err := w.db.UserByEmail(context.Background(), w.anna.Email)
	if err != nil {
		w.t.Fatal(err)
	}
	id, err := w.ops.FileCase(context.Background(), anna, in)
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func caseInput(token string) orders.CaseInput {
	return orders.CaseInput{Token: token, CaseInput: repair.CaseInput{
		Title: "Skövde Diskmaskin tömmer inte", Description: "Vatten står kvar.", Street: "Storgatan 1",
		ReporterName: "Anna Lindqvist", ReporterPhone: "070-123 45 67", PostalCode: "54130", City: "Skövde", Access: "Ja"}}
}

// wantFields fails unless err is a validation failure naming every field.
func wantFields(t *testing.T, what string, err error, fields ...string) {
	t.Helper()
	var fe repair.FieldErrors
	if !errors.As(err, &fe) {
		t.Errorf("%s: err = %v, want field errors on %v", what, err, fields)
		return
	}
	for _, f := range fields {
		if fe[f] == "" {
			t.Errorf("%s: no message on %s; got %v", what, f, fe)
		}
	}
}

func (w *world) auditCount(entity string, id int64) int {
	w.t.Helper()
	l, err := w.db.AuditLog(context.Background(), repair.StaffScope(), entity, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return len(l)
}

func TestFileCase(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		in := caseInput("token-1")
		in.AssetID, in.ContractNumber, in.Type, in.CustomerID = w.myAsset.ID, "av-1", "Garantiärende", w.theirs.ID
		id, err := w.ops.FileCase(ctx, w.anna, in)
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.Case(ctx, repair.CustomerScope(w.mine.ID), id)
		if err != nil {
			t.Fatal(err)
		}
		// A customer files for itself, as a Serviceanmälan, whatever the
		// input says; the contract is written as the register writes it.
		if c.CustomerID != w.mine.ID || c.Type != repair.PortalCaseType || c.ContractNumber != "AV-1" || c.AssetID != w.myAsset.ID || c.ReportedBy != w.anna.ID {
			t.Errorf("filed case = %+v", c)
		}
		if n := w.auditCount("case", id); n != 1 {
			t.Errorf("audit lines = %d, want 1", n)
		}
		if again, err := w.ops.FileCase(ctx, w.anna, in); err != nil || again != id {
			t.Errorf("same token again = %d, %v; want the first case %d", again, err, id)
		}
		if u, _ := db.User(ctx, repair.StaffScope(), w.anna.ID); u.ReporterName != "Anna Lindqvist" {
			t.Errorf("reporter not remembered: %q", u.ReporterName)
		}
		foreign := caseInput("token-2")
		foreign.AssetID = w.theirAs.ID
		foreign.ContractNumber = w.theirContract.Number
		_, err = w.ops.FileCase(ctx, w.anna, foreign)
		wantFields(t, "another customer's machine and contract", err, repair.FieldAsset, repair.FieldContractNumber)
		unknown := caseInput("token-3")
		unknown.ContractNumber = "AV-404"
		_, err = w.ops.FileCase(ctx, w.anna, unknown)
		wantFields(t, "a contract the customer does not have", err, repair.FieldContractNumber)
		if _, err := w.ops.FileCase(ctx, w.tech, caseInput("token-4")); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("technician files a case: err = %v, want ErrNotFound", err)
		}
		if cs := storetest.Cases(t, db, repair.StaffScope()); len(cs) != 1 {
			t.Errorf("%d cases saved, want only the valid one", len(cs))
		}
		// The same reporter again writes nothing; another one, or only
		// another phone, is remembered.
		for i, r := range [][3]string{{"Anna Lindqvist", "070-123 45 67", "+46701234567"}, {"Bo Ek", "070-123 45 67", "+46701234567"}, {"Bo Ek", "0500-44 55 66", "+46500445566"}} {
			next := caseInput(fmt.Sprintf("token-reporter-%d", i))
			next.ReporterName, next.ReporterPhone = r[0], r[1]
			w.newCase(next)
			if u, _ := db.User(ctx, repair.StaffScope(), w.anna.ID); u.ReporterName != r[0] || u.ReporterPhone != r[2] {
				t.Errorf("after a case by %s, %s: the user remembers %q, %q", r[0], r[1], u.ReporterName, u.ReporterPhone)
			}
		}

		office := caseInput("token-5")
		office.CustomerID, office.Type, office.AssetNumber = w.theirs.ID, "Telefonärende", w.theirAs.Number
		id, err = w.ops.FileCase(ctx, w.disp, office)
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := db.Case(ctx, repair.StaffScope(), id); c.CustomerID != w.theirs.ID || c.Type != "Telefonärende" || c.AssetID != w.theirAs.ID {
			t.Errorf("office case = %+v", c)
		}
		wrong := caseInput("token-6")
		wrong.CustomerID, wrong.Type, wrong.AssetNumber = w.mine.ID, "Påhittad", w.theirAs.Number
		_, err = w.ops.FileCase(ctx, w.disp, wrong)
		wantFields(t, "office case with a bad type and another customer's machine", err, "type", "asset_number")
	})
}

func TestCaseWork(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		in := caseInput("t")
		in.ContractNumber = "AV-1"
		id, err := w.ops.FileCase(ctx, w.anna, in)
		if err != nil {
			t.Fatal(err)
		}
		techID := itoa(w.tech.ID)
		if _, err := w.ops.PlanWorkOrder(ctx, w.anna, id, repair.WorkOrderInput{TechnicianID: techID, Date: "2026-03-17", From: "08:00", Until: "10:00"}); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("customer plans a work order: err = %v, want ErrNotFound", err)
		}
		_, err = w.ops.PlanWorkOrder(ctx, w.disp, id, repair.WorkOrderInput{TechnicianID: itoa(w.disp.ID), Date: "0000-01-01", From: "10:00", Until: "08:00"})
		wantFields(t, "plan on year 0 for a dispatcher", err, "technician_id", "date")
		wo, err := w.ops.PlanWorkOrder(ctx, w.disp, id, repair.WorkOrderInput{TechnicianID: techID, Date: "2026-03-29", From: "08:00", Until: "10:00"})
		if err != nil {
			t.Fatal(err)
		}
		// 29 March 2026 is the day Sweden moves its clocks forward: the
		// window is still 08:00–10:00 on the wall.
		if got := wo.PlannedStart.In(repair.Stockholm).Format("2006-01-02 15:04"); got != "2026-03-29 08:00" {
			t.Errorf("planned start = %s, want 2026-03-29 08:00", got)
		}
		if c, _ := db.Case(ctx, repair.StaffScope(), id); c.Status != repair.StatusPlanned {
			t.Errorf("case status after planning = %s, want planned", c.Status)
		}

		hostile := []struct {
			name  string
			in    repair.ActionInput
			field string
		}{
			{"NUL", repair.ActionInput{Date: "2026-03-16", TechnicianID: techID, Description: "Bytt\x00pump", Time: "1:30"}, "description"},
			{"control character", repair.ActionInput{Date: "2026-03-16", TechnicianID: techID, Description: "Bytt\x1bpump", Time: "1:30"}, "description"},
			{"invalid UTF-8", repair.ActionInput{Date: "2026-03-16", TechnicianID: techID, Description: "Bytt \xff pump", Time: "1:30"}, "description"},
			{"year 0", repair.ActionInput{Date: "0000-01-01", TechnicianID: techID, Description: "Bytt pump", Time: "1:30"}, "date"},
			{"tomorrow", repair.ActionInput{Date: "2026-03-17", TechnicianID: techID, Description: "Bytt pump", Time: "1:30"}, "date"},
			{"no technician", repair.ActionInput{Date: "2026-03-16", TechnicianID: itoa(w.anna.ID), Description: "Bytt pump", Time: "1:30"}, "technician_id"},
		}
		for _, h := range hostile {
			_, err := w.ops.RecordAction(ctx, w.disp, wo.ID, h.in)
			wantFields(t, "action with "+h.name, err, h.field)
		}
		a, err := w.ops.RecordAction(ctx, w.disp, wo.ID, repair.ActionInput{Date: "2026-03-16", TechnicianID: techID, Description: "Bytt tömningspump.\nProvkört.", Time: "1 h 30 min", Visible: true})
		if err != nil {
			t.Fatal(err)
		}
		if a.Minutes != 90 {
			t.Errorf("minutes = %d, want 90", a.Minutes)
		}
		if as, _ := db.Actions(ctx, repair.StaffScope(), id); len(as) != 1 {
			t.Errorf("%d actions saved, want only the valid one", len(as))
		}

		for name, in := range map[string]repair.CostInput{
			"NUL in description":    {Kind: "part", Description: "Pump\x00", Quantity: "1", UnitPrice: "100"},
			"control in article":    {Kind: "part", Article: "A\x07B", Quantity: "1", UnitPrice: "100"},
			"invalid UTF-8 article": {Kind: "part", Article: "\xfe\xff", Quantity: "1", UnitPrice: "100"},
		} {
			_, err := w.ops.AddCostLine(ctx, w.disp, wo.ID, in)
			wantFields(t, "cost with "+name, err)
		}
		l, err := w.ops.AddCostLine(ctx, w.disp, wo.ID, repair.CostInput{Kind: "labour", Quantity: "1,5", Visible: true})
		if err != nil {
			t.Fatal(err)
		}
		if l.UnitPriceOre != 59000 || l.Description != "Arbete" {
			t.Errorf("labour line = %+v, want the contract's rate 590 kr", l)
		}
		if ls, _ := db.CostLines(ctx, repair.StaffScope(), id); len(ls) != 1 {
			t.Errorf("%d cost lines saved, want only the valid one", len(ls))
		}

		err = w.ops.SetCaseStatus(ctx, w.disp, id, repair.StatusInput{To: string(repair.StatusRegistered)})
		wantFields(t, "status backwards to Registrerad", err, "status")
		if err := w.ops.SetCaseStatus(ctx, w.disp, id, repair.StatusInput{To: string(repair.StatusCompleted), Note: "Klart"}); err != nil {
			t.Fatal(err)
		}
		// File, plan, action, cost, status: one audit line each.
		if n := w.auditCount("case", id); n != 5 {
			t.Errorf("audit lines = %d, want 5", n)
		}
	})
}

func TestAttachFile(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		id := w.newCase(caseInput("t"))
		var err error
		var img bytes.Buffer
		if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 40, 30))); err != nil {
			t.Fatal(err)
		}
		_, err = w.ops.AttachFile(ctx, w.disp, id, orders.FileInput{Kind: repair.FileDeliveryNote, Name: "följesedel.pdf", Body: bytes.NewReader(img.Bytes())})
		wantFields(t, "an image as the signed delivery note", err, "file")
		_, err = w.ops.AttachFile(ctx, w.disp, id, orders.FileInput{Kind: repair.FilePhoto, Name: "x.png", Body: strings.NewReader("not an image")})
		wantFields(t, "text as a photo", err, "file")
		f, err := w.ops.AttachFile(ctx, w.disp, id, orders.FileInput{Kind: repair.FilePhoto, Name: "../../pump.exe", Body: bytes.NewReader(img.Bytes())})
		if err != nil {
			t.Fatal(err)
		}
		if f.Name != "pump.png" || f.ThumbSHA256 == "" || f.CustomerID != w.mine.ID {
			t.Errorf("stored file = %+v, want a safe name, a thumbnail and the case's customer", f)
		}
		if fs, _ := db.CaseFiles(ctx, repair.StaffScope(), id); len(fs) != 1 {
			t.Errorf("%d files recorded, want only the valid one", len(fs))
		}
	})
}

func TestRegisterRules(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		_, err := w.ops.CreateContract(ctx, w.disp, w.mine.ID, repair.ContractInput{Number: "AV-2", ValidFrom: "0000-01-01"})
		wantFields(t, "contract valid from year 0", err, "valid_from")
		_, err = w.ops.CreateAsset(ctx, w.disp, w.mine.ID, repair.AssetInput{Number: "77001", Kind: "Tvättmaskin", InstalledOn: "9999-12-31"})
		wantFields(t, "machine installed 9999-12-31", err, "installed_on")
		_, err = w.ops.CreateAsset(ctx, w.disp, w.mine.ID, repair.AssetInput{Number: "77002", Kind: "Tvättmaskin", ContractNumber: w.theirContract.Number})
		wantFields(t, "machine on another customer's contract", err, "contract_number")
		_, err = w.ops.UpdateCustomer(ctx, w.disp, w.mine.ID, repair.CustomerInput{Number: w.mine.Number, Name: w.mine.Name, InvoiceAddress: "Box 1\x00"})
		wantFields(t, "NUL in the invoice address", err, "invoice_address")
		_, err = w.ops.UpdateCustomer(ctx, w.disp, w.mine.ID, repair.CustomerInput{Number: w.theirs.Number, Name: w.mine.Name})
		wantFields(t, "another customer's number", err, "number")
		if _, err := w.ops.CreateCustomer(ctx, w.anna, repair.CustomerInput{Number: "K9", Name: "X"}); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("customer user creates a customer: err = %v, want ErrNotFound", err)
		}
		if _, err := w.ops.CreateStaffUser(ctx, w.disp, repair.UserInput{Name: "Ny", Email: "ny@kundportal.example", Role: "admin", Password: "ett långt lösenord"}); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("dispatcher creates an admin: err = %v, want ErrNotFound", err)
		}
		err = w.ops.SetStaffDisabled(ctx, w.adm, w.adm.ID, true)
		wantFields(t, "admin blocks itself", err, "user")
		if _, err := w.ops.SetCustomerUserDisabled(ctx, w.disp, w.tech.ID, true); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("block a staff login as a customer's: err = %v, want ErrNotFound", err)
		}
		if n := w.auditCount("customer", w.mine.ID); n != 1 {
			t.Errorf("audit lines on the customer = %d, want 1 (its contract)", n)
		}
	})
}

func TestSignIn(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		login, err := w.ops.SignIn(ctx, orders.LoginInput{Email: " ANNA@solgarden.example", Password: "rätt-lösenord-1", Address: "192.0.2.1"})
		if err != nil || login.User.ID != w.anna.ID || login.Token == "" {
			t.Fatalf("SignIn = %+v, %v", login, err)
		}
		if _, u, err := w.ops.Session(ctx, auth.HashToken(login.Token)); err != nil || u.ID != w.anna.ID {
			t.Errorf("Session(new token) = %v, %v", u.ID, err)
		}
		if err := w.ops.SignOut(ctx, auth.HashToken(login.Token)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.ops.Session(ctx, auth.HashToken(login.Token)); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("Session after sign-out: err = %v, want ErrNotFound", err)
		}
		for _, in := range []orders.LoginInput{
			{Email: "anna@solgarden.example", Password: "fel"},
			{Email: "ingen@solgarden.example", Password: "rätt-lösenord-1"},
			{Email: strings.Repeat("a", 1<<20) + "@x.se", Password: "x"},
			{Email: "anna\x00@solgarden.example", Password: "rätt-lösenord-1"},
		} {
			if _, err := w.ops.SignIn(ctx, in); !errors.Is(err, orders.ErrBadLogin) {
				t.Errorf("SignIn(%.30q) err = %v, want ErrBadLogin", in.Email, err)
			}
		}
		if _, err := w.ops.SetCustomerUserDisabled(ctx, w.disp, w.olle.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ops.SignIn(ctx, orders.LoginInput{Email: w.olle.Email, Password: "rätt-lösenord-1"}); !errors.Is(err, orders.ErrBadLogin) {
			t.Errorf("blocked login: err = %v, want ErrBadLogin", err)
		}
		for range orders.MaxAccountFailures {
			w.ops.SignIn(ctx, orders.LoginInput{Email: w.disp.Email, Password: "fel", Address: "192.0.2.9"})
		}
		if _, err := w.ops.SignIn(ctx, orders.LoginInput{Email: w.disp.Email, Password: "rätt-lösenord-1", Address: "192.0.2.9"}); !errors.Is(err, orders.ErrThrottled) {
			t.Errorf("after %d failures: err = %v, want ErrThrottled", orders.MaxAccountFailures, err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
