package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

func TestHashPasswordAndCheckPassword(t *testing.T) {
	const pw = "đúng-mật-khẩu-2026"
	hash, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		attempt string
		wantErr error
	}{
		{"the password it was made from matches its hash", pw, nil},
		{"a different password is rejected", "sai-mật-khẩu-2026", ErrWrongPassword},
		{"the same password in other case is rejected", strings.ToUpper(pw), ErrWrongPassword},
		{"the password with a trailing space is rejected", pw + " ", ErrWrongPassword},
		{"an empty password is rejected", "", ErrWrongPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // bcrypt is slow on purpose; the checks share nothing but the hash
			if err := CheckPassword(hash, tt.attempt); !errors.Is(err, tt.wantErr) {
				t.Errorf("CheckPassword(%q) = %v, want %v", tt.attempt, err, tt.wantErr)
			}
		})
	}
	t.Run("the hash does not contain the password", func(t *testing.T) {
		if strings.Contains(hash, pw) {
			t.Errorf("hash %q holds the password", hash)
		}
	})
	t.Run("hashing the same password twice gives different hashes", func(t *testing.T) {
		again, err := HashPassword(pw)
		if err != nil {
			t.Fatal(err)
		}
		if again == hash {
			t.Error("two hashes of one password are equal: no salt")
		}
		if err := CheckPassword(again, pw); err != nil {
			t.Errorf("second hash does not match: %v", err)
		}
	})
	t.Run("a hash that is not bcrypt is a wrong password, not a panic", func(t *testing.T) {
		if err := CheckPassword("not-a-hash", pw); !errors.Is(err, ErrWrongPassword) {
			t.Errorf("CheckPassword on garbage = %v", err)
		}
	})
}

func TestHashPasswordLength(t *testing.T) {
	tests := []struct {
		name    string
		pw      string
		wantErr string // "" when accepted
	}{
		{"nine characters are too short, with the Vietnamese message", "123456789", "mật khẩu phải có ít nhất 10 ký tự"},
		{"an empty password is too short", "", "mật khẩu phải có ít nhất 10 ký tự"},
		{"ten characters are enough", "1234567890", ""},
		{"length counts letters, not bytes: nine Vietnamese letters are too short", "ậậậậậậậậậ", "ít nhất 10 ký tự"},
		{"ten Vietnamese letters are enough though they take thirty bytes", "ậậậậậậậậậậ", ""},
		{"exactly 72 bytes are accepted", strings.Repeat("a", 72), ""},
		{"73 bytes are rejected, since bcrypt would ignore the rest", strings.Repeat("a", 73), "dài quá 72 byte"},
		{"25 Vietnamese letters are rejected for their 75 bytes", strings.Repeat("ậ", 25), "dài quá 72 byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hash, err := HashPassword(tt.pw)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("HashPassword(%d bytes) = %v, want accepted", len(tt.pw), err)
				}
				if err := CheckPassword(hash, tt.pw); err != nil {
					t.Errorf("accepted password does not match its hash: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("HashPassword(%d bytes) error = %v, want one containing %q", len(tt.pw), err, tt.wantErr)
			}
			if hash != "" {
				t.Errorf("a refused password still got a hash %q", hash)
			}
		})
	}
}

func TestSetCostForTests(t *testing.T) {
	const pw = "đúng-mật-khẩu-2026"
	costOf := func(t *testing.T, hash []byte) int {
		t.Helper()
		c, err := bcrypt.Cost(hash)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	before, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("until a test lowers it, passwords and the dummy hash use bcrypt's default cost", func(t *testing.T) {
		if c := costOf(t, []byte(before)); c != bcrypt.DefaultCost {
			t.Errorf("hash cost %d, want %d", c, bcrypt.DefaultCost)
		}
		CheckNobody(pw)
		if c := costOf(t, dummyFor()); c != bcrypt.DefaultCost {
			t.Errorf("dummy hash cost %d, want %d", c, bcrypt.DefaultCost)
		}
	})

	SetCostForTests(bcrypt.MinCost)
	t.Cleanup(func() { SetCostForTests(bcrypt.DefaultCost) })
	t.Run("a lowered cost applies to new hashes, which still check", func(t *testing.T) {
		h, err := HashPassword(pw)
		if err != nil {
			t.Fatal(err)
		}
		if c := costOf(t, []byte(h)); c != bcrypt.MinCost {
			t.Errorf("hash cost %d, want %d", c, bcrypt.MinCost)
		}
		if err := CheckPassword(h, pw); err != nil {
			t.Errorf("low-cost hash does not match: %v", err)
		}
		if err := CheckPassword(h, "sai-mật-khẩu-2026"); !errors.Is(err, ErrWrongPassword) {
			t.Errorf("low-cost hash accepts a wrong password: %v", err)
		}
	})
	t.Run("the dummy hash made earlier is made again at the lowered cost", func(t *testing.T) {
		CheckNobody(pw)
		if c := costOf(t, dummyFor()); c != bcrypt.MinCost {
			t.Errorf("dummy hash cost %d, want %d", c, bcrypt.MinCost)
		}
	})
	t.Run("a hash made at the default cost still checks after the cost is lowered", func(t *testing.T) {
		if err := CheckPassword(before, pw); err != nil {
			t.Error(err)
		}
	})
	for _, c := range []int{bcrypt.MinCost - 1, 0, bcrypt.MaxCost + 1} {
		t.Run(fmt.Sprintf("a cost of %d, which bcrypt does not allow, panics", c), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("SetCostForTests(%d) did not panic", c)
				}
			}()
			SetCostForTests(c)
		})
	}
	t.Run("a refused cost leaves the cost as it was", func(t *testing.T) {
		if got := hashCost(); got != bcrypt.MinCost {
			t.Errorf("cost %d, want %d", got, bcrypt.MinCost)
		}
	})
}

func TestToken(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		wantLen int
	}{
		{"12 bytes give 16 characters", 12, 16},
		{"32 bytes give 43 characters, without padding", 32, 43},
		{"one byte gives two characters", 1, 2},
		{"zero bytes give an empty token", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := Token(tt.n)
			if len(tok) != tt.wantLen {
				t.Fatalf("len(Token(%d)) = %d (%q), want %d", tt.n, len(tok), tok, tt.wantLen)
			}
			b, err := base64.RawURLEncoding.DecodeString(tok)
			if err != nil || len(b) != tt.n {
				t.Errorf("Token(%d) = %q does not decode to %d bytes: %v", tt.n, tok, tt.n, err)
			}
		})
	}
	t.Run("tokens use only characters safe in a URL path and a cookie", func(t *testing.T) {
		for range 200 {
			tok := Token(32)
			if i := strings.IndexFunc(tok, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
			}); i >= 0 {
				t.Fatalf("token %q has %q", tok, tok[i])
			}
		}
	})
	t.Run("a thousand tokens are all different", func(t *testing.T) {
		seen := map[string]bool{}
		for range 1000 {
			tok := Token(12)
			if seen[tok] {
				t.Fatalf("token %q repeated", tok)
			}
			seen[tok] = true
		}
	})
}

func TestGeneratePassword(t *testing.T) {
	const lookAlikes = "lIO01"
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	seen := map[string]bool{}
	used := map[rune]bool{}
	for range 500 {
		pw := GeneratePassword()
		if seen[pw] {
			t.Fatalf("password %q repeated", pw)
		}
		seen[pw] = true
		if utf8.RuneCountInString(pw) != 16 || len(pw) != 16 {
			t.Fatalf("password %q is not 16 characters", pw)
		}
		if strings.ContainsAny(pw, lookAlikes) {
			t.Fatalf("password %q holds a look-alike letter of %q", pw, lookAlikes)
		}
		for _, r := range pw {
			if !strings.ContainsRune(alphabet, r) {
				t.Fatalf("password %q holds %q outside the alphabet", pw, r)
			}
			used[r] = true
		}
	}
	t.Run("a generated password is itself accepted as a staff password", func(t *testing.T) {
		pw := GeneratePassword()
		hash, err := HashPassword(pw)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckPassword(hash, pw); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("8000 characters drawn use every symbol of the alphabet", func(t *testing.T) {
		// 56 symbols, 8000 draws: missing even one is vanishingly unlikely for a uniform draw.
		if len(used) != len(alphabet) {
			t.Errorf("used %d of %d symbols", len(used), len(alphabet))
		}
	})
}
