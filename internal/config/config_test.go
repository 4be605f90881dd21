package config

import (
	"io"
	"testing"
)

func TestLoad(t *testing.T) {
	env := map[string]string{"KUNDPORTAL_ADDR": ":9000", "KUNDPORTAL_DEMO": "1"}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		name string
		args []string
		want Config
	}{
		{"env over defaults", nil, Config{Addr: ":9000", DataDir: "./data", Demo: true}},
		{"flag over env", []string{"-addr", ":7000", "-demo=false", "-data-dir", "/tmp/x"}, Config{Addr: ":7000", DataDir: "/tmp/x"}},
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
