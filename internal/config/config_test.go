package config

import (
	"io"
	"strings"
	"testing"

	"kundportal/internal/repair"
)

func TestLoad(t *testing.T) {
	env := map[string]string{"KUNDPORTAL_ADDR": ":9000", "KUNDPORTAL_DEMO": "1"}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		name string
		args []string
		want Config
	}{
		{"env over defaults", nil, Config{Addr: ":9000", DataDir: "./data", Demo: true, Company: repair.DemoCompany, MailFrom: repair.DemoCompany.Email}},
		{"flag over env", []string{"-addr", ":7000", "-demo=false", "-data-dir", "/tmp/x"}, Config{Addr: ":7000", DataDir: "/tmp/x", Company: repair.DemoCompany, MailFrom: repair.DemoCompany.Email}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(tt.args, getenv, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Load(%q) = %+v, want %+v", tt.args, got, tt.want)
			}
		})
	}
	defaults, _ := Load(nil, func(string) string { return "" }, io.Discard)
	if defaults.Addr != ":8080" || defaults.Demo || defaults.DatabaseURL != "" {
		t.Errorf("defaults = %+v, want :8080, no demo, SQLite", defaults)
	}
	if _, err := Load(nil, func(k string) string {
		if k == "KUNDPORTAL_DEMO" {
			return "kanske"
		}
		return ""
	}, io.Discard); err == nil {
		t.Error("Load with KUNDPORTAL_DEMO=kanske succeeded, want an error")
	}
}

// TestCompanyFromEnvironment: the KUNDPORTAL_COMPANY_* variables replace
// the demo company's fields one by one, and a company that could not
// issue an invoice stops the start with a line naming the variable.
func TestCompanyFromEnvironment(t *testing.T) {
	env := map[string]string{
		"KUNDPORTAL_COMPANY_NAME":       "Vitvaruhjälpen i Hjo AB",
		"KUNDPORTAL_COMPANY_ORG_NUMBER": "556677-8899",
		"KUNDPORTAL_COMPANY_VAT_NUMBER": "SE556677889901",
		"KUNDPORTAL_COMPANY_F_SKATT":    "0",
	}
	c, err := Load(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Company.Name != "Vitvaruhjälpen i Hjo AB" || c.Company.OrgNumber != "556677-8899" || c.Company.FSkatt ||
		c.Company.City != "Skövde" {
		t.Errorf("company %+v", c.Company)
	}
	env["KUNDPORTAL_COMPANY_ORG_NUMBER"] = "556677-8890"
	if _, err := Load(nil, func(k string) string { return env[k] }, io.Discard); err == nil || !strings.Contains(err.Error(), "KUNDPORTAL_COMPANY_ORG_NUMBER") {
		t.Errorf("a bad check digit: %v", err)
	}
}

// TestDebugAddrLoopbackOnly: the profiler listens on loopback only; an
// address that would open it to the network stops the start.
func TestDebugAddrLoopbackOnly(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:6060": true, "[::1]:6060": true, "localhost:6060": true,
		":6060": false, "0.0.0.0:6060": false, "192.0.2.1:6060": false, "127.0.0.1": false,
	} {
		c, err := Load(nil, func(k string) string {
			if k == "KUNDPORTAL_DEBUG_ADDR" {
				return addr
			}
			return ""
		}, io.Discard)
		if ok && (err != nil || c.DebugAddr != addr) {
			t.Errorf("%q: %q, %v; want it taken", addr, c.DebugAddr, err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "KUNDPORTAL_DEBUG_ADDR")) {
			t.Errorf("%q: %v; want an error naming KUNDPORTAL_DEBUG_ADDR", addr, err)
		}
	}
}

// TestMailConfig: an SMTP URL is read into its parts and needs the site's
// public address for the mails' links; every mistake stops the start with
// one line naming the variable, never repeating the password.
func TestMailConfig(t *testing.T) {
	load := func(env map[string]string) (Config, error) {
		return Load(nil, func(k string) string { return env[k] }, io.Discard)
	}
	c, err := load(map[string]string{"KUNDPORTAL_SMTP_URL": "smtp://portal:hemligt@mail.example:2525",
		"KUNDPORTAL_BASE_URL": "https://portal.example", "KUNDPORTAL_MAIL_FROM": "kundportal@vitvaru.example"})
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP.Host != "mail.example" || c.SMTP.Port != 2525 || c.SMTP.Username != "portal" || c.SMTP.Password != "hemligt" ||
		c.SMTP.TLS != "starttls" || c.MailFrom != "kundportal@vitvaru.example" {
		t.Errorf("config %+v", c)
	}
	for _, bad := range []struct {
		env  map[string]string
		word string
	}{
		{map[string]string{"KUNDPORTAL_SMTP_URL": "smtp://mail.example"}, "KUNDPORTAL_BASE_URL"},
		{map[string]string{"KUNDPORTAL_SMTP_URL": "http://u:hemligt@mail.example", "KUNDPORTAL_BASE_URL": "https://p.example"}, "KUNDPORTAL_SMTP_URL"},
		{map[string]string{"KUNDPORTAL_SMTP_URL": "smtp://u:hemligt@mail.example:99999", "KUNDPORTAL_BASE_URL": "https://p.example"}, "KUNDPORTAL_SMTP_URL"},
		{map[string]string{"KUNDPORTAL_SMTP_URL": "smtp://u:hemligt@mail.example?tls=maybe", "KUNDPORTAL_BASE_URL": "https://p.example"}, "KUNDPORTAL_SMTP_URL"},
		{map[string]string{"KUNDPORTAL_BASE_URL": "portal.example"}, "KUNDPORTAL_BASE_URL"},
		{map[string]string{"KUNDPORTAL_MAIL_FROM": "inte en adress"}, "KUNDPORTAL_MAIL_FROM"},
	} {
		_, err := load(bad.env)
		if err == nil || !strings.Contains(err.Error(), bad.word) || strings.Contains(err.Error(), "hemligt") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, want one line naming %s", bad.env, err, bad.word)
		}
	}
	local, err := load(map[string]string{"KUNDPORTAL_SMTP_URL": "smtp://127.0.0.1:1025", "KUNDPORTAL_BASE_URL": "http://localhost:8080"})
	if err != nil || local.SMTP.TLS != "opportunistic" || local.SMTP.Port != 1025 {
		t.Errorf("a loopback server: %+v, %v", local.SMTP, err)
	}
}

// TestMetricsSettings: the metrics have a listen address of their own or
// a token long enough not to be guessed; each mistake is one line naming
// the variable.
func TestMetricsSettings(t *testing.T) {
	load := func(env map[string]string) (Config, error) {
		return Load(nil, func(k string) string { return env[k] }, io.Discard)
	}
	c, err := load(map[string]string{"KUNDPORTAL_METRICS_ADDR": "127.0.0.1:9090", "KUNDPORTAL_METRICS_TOKEN": " " + strings.Repeat("a", 24) + " "})
	if err != nil || c.MetricsAddr != "127.0.0.1:9090" || c.MetricsToken != strings.Repeat("a", 24) {
		t.Errorf("Load = %q, %q, %v", c.MetricsAddr, c.MetricsToken, err)
	}
	for env, want := range map[string]string{
		"KUNDPORTAL_METRICS_ADDR":  "9090",
		"KUNDPORTAL_METRICS_TOKEN": "hemligt",
	} {
		value := want
		_, err := load(map[string]string{env: value})
		if err == nil || !strings.Contains(err.Error(), env) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s=%q: %v, want one line naming it", env, value, err)
		}
		if env == "KUNDPORTAL_METRICS_TOKEN" && err != nil && strings.Contains(err.Error(), value) {
			t.Errorf("the error repeats the token: %v", err)
		}
	}
}
