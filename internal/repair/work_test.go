package repair

import (
	"fmt"
	"testing"
	"time"
)

func TestWorkOrderInputDates(t *testing.T) {
	today := time.Date(2026, time.March, 16, 10, 0, 0, 0, Stockholm)
	for date, ok := range map[string]bool{
		"2026-03-16": true, "2025-03-16": true, "2028-03-16": true,
		"2025-03-15": false, "2028-03-17": false, "0000-01-01": false, "9999-12-31": false, "2026-02-30": false, "": false,
	} {
		_, start, _, fe := WorkOrderInput{TechnicianID: "7", Date: date, From: "08:00", Until: "09:30"}.Validate(today)
		if got := fe["date"] == ""; got != ok {
			t.Errorf("plan on %q: accepted = %v, want %v (%v)", date, got, ok, fe)
		}
		if ok && start.In(Stockholm).Format("2006-01-02 15:04") != date+" 08:00" {
			t.Errorf("plan on %q: start = %v", date, start)
		}
	}
	if _, _, _, fe := (WorkOrderInput{TechnicianID: "x", Date: "2026-03-16", From: "10:00", Until: "09:00"}).Validate(today); fe["technician_id"] == "" || fe["until"] != "" {
		t.Errorf("bad technician and window: %v; want only the technician named (the window is checked when the rest is right)", fe)
	}
}

func TestActionInputDates(t *testing.T) {
	today := time.Date(2026, time.March, 16, 23, 30, 0, 0, Stockholm)
	for date, ok := range map[string]bool{"2026-03-16": true, "2000-01-01": true, "2026-03-17": false, "1999-12-31": false, "0000-01-01": false} {
		_, fe := ActionInput{Date: date, TechnicianID: "7", Description: "Bytt pump", Time: "30"}.Validate(today)
		if got := fe["date"] == ""; got != ok {
			t.Errorf("action on %q: accepted = %v, want %v", date, got, ok)
		}
	}
}

func TestCostInput(t *testing.T) {
	l, needsRate, fe := CostInput{Kind: "labour", Quantity: "1,5"}.Validate()
	if len(fe) > 0 || !needsRate || l.QuantityMilli != 1500 || l.Description != "Arbete" {
		t.Errorf("labour without price = %+v, %v, %v", l, needsRate, fe)
	}
	for name, in := range map[string]CostInput{
		"unknown kind":        {Kind: "bribe", Quantity: "1", UnitPrice: "1"},
		"part without a name": {Kind: "part", Quantity: "1", UnitPrice: "1"},
		"zero quantity":       {Kind: "fee", Quantity: "0", UnitPrice: "1"},
		"negative price":      {Kind: "fee", Quantity: "1", UnitPrice: "-5"},
		"NUL in article":      {Kind: "part", Article: "A\x00", Quantity: "1", UnitPrice: "1"},
		"U+FFFD in text":      {Kind: "part", Description: "Pump \uFFFD", Quantity: "1", UnitPrice: "1"},
	} {
		if _, _, fe := in.Validate(); len(fe) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPathTo(t *testing.T) {
	for _, tc := range []struct {
		from, to Status
		want     []Status
	}{
		{StatusRegistered, StatusInProgress, []Status{StatusReceived, StatusInProgress}},
		{StatusPlanned, StatusInProgress, []Status{StatusInProgress}},
		{StatusRegistered, StatusAwaitingPart, []Status{StatusPlanned, StatusAwaitingPart}},
		{StatusInvoiced, StatusInProgress, nil},
		{StatusPlanned, StatusPlanned, nil},
	} {
		got := PathTo(tc.from, tc.to)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("PathTo(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}
