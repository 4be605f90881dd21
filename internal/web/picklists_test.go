package web

import (
	"html/template"
	"strings"
	"testing"

	"kundportal/internal/repair"
)

// TestPickListsMatchTemplates holds the pick-lists written in Go to the
// template ranges they replaced, byte for byte, with hostile names and
// with each entry selected in turn, none, and a value not offered.
func TestPickListsMatchTemplates(t *testing.T) {
	old := template.Must(template.New("").Parse(`
{{define "tech"}}{{$t := .Selected}}{{range .Values}}<option value="{{.ID}}"{{if eq (print .ID) $t}} selected{{end}}>{{.Name}}</option>{{end}}{{end}}
{{define "label"}}{{$k := .Selected}}{{range .Values}}<option value="{{.}}"{{if eq (print .) $k}} selected{{end}}>{{.Label}}</option>{{end}}{{end}}`))
	run := func(name string, data any) string {
		var b strings.Builder
		if err := old.ExecuteTemplate(&b, name, data); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	hostile := `<script>alert("x")</script> & 'Åsa' "Öberg"`
	techs := []repair.User{{ID: 3, Name: hostile}, {ID: 12, Name: "Bo Ek"}, {ID: 31, Name: ""}}
	for _, sel := range []string{"", "3", "12", "31", "1", hostile} {
		want := run("tech", map[string]any{"Values": techs, "Selected": sel})
		if got := string(technicianOptions(techs, sel)); got != want {
			t.Errorf("technicians, %q selected:\n got %s\nwant %s", sel, got, want)
		}
	}
	if got := technicianOptions(nil, "3"); got != "" {
		t.Errorf("no technicians: %q, want nothing", got)
	}
	statuses := repair.StatusRegistered.Next()
	kinds := repair.CostKinds
	woStatuses := repair.WorkOrderPlanned.Next()
	if len(statuses) < 2 || len(kinds) < 2 || len(woStatuses) < 1 {
		t.Fatalf("too few values to compare: %v %v %v", statuses, kinds, woStatuses)
	}
	for _, sel := range []string{"", string(statuses[1]), string(kinds[0]), string(woStatuses[0]), hostile} {
		for _, c := range []struct {
			name   string
			values any
			got    template.HTML
		}{
			{"statuses", statuses, labelOptions(statuses, sel)},
			{"cost kinds", kinds, labelOptions(kinds, sel)},
			{"work order statuses", woStatuses, labelOptions(woStatuses, sel)},
		} {
			if want := run("label", map[string]any{"Values": c.values, "Selected": sel}); string(c.got) != want {
				t.Errorf("%s, %q selected:\n got %s\nwant %s", c.name, sel, c.got, want)
			}
		}
	}
}
