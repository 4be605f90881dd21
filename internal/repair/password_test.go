package repair

import (
	"maps"
	"testing"
)

func TestPasswordChangeInputValidate(t *testing.T) {
	const ok = "ett långt lösenord"
	for _, tc := range []struct {
		name string
		in   PasswordChangeInput
		want FieldErrors
	}{
		{"empty", PasswordChangeInput{}, FieldErrors{
			"current": "Ange ditt nuvarande lösenord.", "new": "Ange ett nytt lösenord.", "again": "Ange det nya lösenordet en gång till."}},
		{"only the current", PasswordChangeInput{Current: "gammalt"}, FieldErrors{
			"new": "Ange ett nytt lösenord.", "again": "Ange det nya lösenordet en gång till."}},
		{"no repetition", PasswordChangeInput{Current: "gammalt", New: ok}, FieldErrors{
			"again": "Ange det nya lösenordet en gång till."}},
		{"too short", PasswordChangeInput{Current: "gammalt", New: "kort", Again: "kort"}, FieldErrors{
			"new": "Lösenordet ska ha 10–200 tecken."}},
		{"not the same", PasswordChangeInput{Current: "gammalt", New: ok, Again: ok + "!"}, FieldErrors{
			"again": "Lösenorden är inte lika."}},
		{"unchanged", PasswordChangeInput{Current: ok, New: ok, Again: ok}, FieldErrors{
			"new": "Välj ett annat lösenord än det nuvarande."}},
		{"fine", PasswordChangeInput{Current: "gammalt", New: ok, Again: ok}, FieldErrors{}},
	} {
		if got := tc.in.Validate(); !maps.Equal(got, tc.want) {
			t.Errorf("%s: Validate() = %q, want %q", tc.name, got, tc.want)
		}
	}
}
