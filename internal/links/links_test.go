package links

import "testing"

func TestLinks(t *testing.T) {
	base := NewBase(" https://portal.example/ ")
	for got, want := range map[string]string{
		Case(12):                   "/arenden/12",
		CaseActions(12):            "/arenden/12/atgarder",
		CaseFiles(12):              "/arenden/12/filer",
		StaffCase(12, ""):          "/order/arenden/12",
		StaffCase(12, "files"):     "/order/arenden/12#files",
		WorkOrder(12, 7):           "/order/arenden/12#wo-7",
		Asset(3):                   "/objekt/3",
		StaffAsset(3):              "/order/objekt/3",
		Customer(4, "users"):       "/order/kunder/4#users",
		File(9):                    "/filer/9",
		NewCaseFor("10 045&x"):     "/nytt-arende?objekt=10+045%26x",
		base.Abs(NewCaseFor("77")): "https://portal.example/nytt-arende?objekt=77",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
