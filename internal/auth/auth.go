// Package auth hashes staff passwords and makes the random secrets behind sessions.
package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// MinPasswordLength is the shortest password accepted for a staff account.
const MinPasswordLength = 10

// ErrWrongPassword is returned when a password does not match its hash.
var ErrWrongPassword = errors.New("auth: wrong password")

// HashPassword hashes a password with bcrypt.
func HashPassword(password string) (string, error) {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return "", fmt.Errorf("mật khẩu phải có ít nhất %d ký tự", MinPasswordLength)
	}
	if len(password) > 72 {
		return "", fmt.Errorf("mật khẩu dài quá 72 byte")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return string(h), nil
}

// CheckPassword compares a password with its hash in constant time.
func CheckPassword(hash, password string) error {
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return ErrWrongPassword
	}
	return nil
}

// dummyHash is compared against when a user name is unknown, so that timing does not tell
// which names exist.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("parsurvey-dummy-password"), bcrypt.DefaultCost)

// CheckNobody spends the time a real password check would take.
func CheckNobody(password string) {
	_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
}

// Token returns n random bytes as URL-safe base64 without padding.
func Token(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// GeneratePassword returns a random password that is easy to copy: 16 characters without
// look-alike letters.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err)
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}
