package workspace

import "testing"

func TestKey(t *testing.T) {
	tests := []struct {
		platform, id, want string
	}{
		{"slack", "T123", "slack:T123"},
		{"discord", "81384788765712384", "discord:81384788765712384"},
		{"cli", "local", "cli:local"},
		{"slack", "a_b.c-d", "slack:a_b.c-d"},
		{"slack", "", ""},
		{"", "T1", ""},
		{"slack", "T1}:x", ""},
		{"slack", "T 1", ""},
		{"slack", "T1\n", ""},
		{"slack", "é", ""},
		{"slack", string(make([]byte, 81)), ""},
	}
	for _, tt := range tests {
		got, err := Key(tt.platform, tt.id)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("Key(%q, %q) = %q, %v; want %q", tt.platform, tt.id, got, err, tt.want)
		}
	}
	long := make([]byte, 80)
	for i := range long {
		long[i] = 'a'
	}
	if _, err := Key("slack", string(long)); err != nil {
		t.Errorf("an 80-character id: %v", err)
	}
}
