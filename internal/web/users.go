package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/store"
)

// usersData is the account page's view model; NewPassword is shown once after a create or reset.
// Form is the new account form as typed, and Errors its problems by input id.
type usersData struct {
	pageData
	Users       []store.User
	NewUser     string
	NewPassword string
	Error       string
	Form        accountForm
	Errors      fieldErrors
}

func (s *Server) usersPage(c *fiber.Ctx) error {
	return s.renderUsers(c, fiber.StatusOK, usersData{pageData: s.page(c)})
}

func (s *Server) renderUsers(c *fiber.Ctx, status int, d usersData) error {
	var err error
	if d.Users, err = s.db.Users(c.UserContext(), ""); err != nil {
		return err
	}
	body, err := s.views.render("layout", "users", d)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store") // a new password is shown on this page once
	return send(c, status, body)
}

// accountForm is the posted new account form, as typed.
type accountForm struct {
	Username, FullName, Role string
}

// newAccountForm copies the new account form out of the request and checks it.
func newAccountForm(c *fiber.Ctx) (accountForm, fieldErrors) {
	f := accountForm{Username: postedText(c, "username"), FullName: postedText(c, "full_name"), Role: postedText(c, "role")}
	errs := fieldErrors{}
	if f.Username == "" {
		errs.add("username", msgAccountUsername)
	}
	if f.FullName == "" {
		errs.add("full_name", msgAccountFullName)
	}
	errs.checkText("username", f.Username, 64)
	errs.checkText("full_name", f.FullName, 120)
	switch store.Role(f.Role) {
	case store.RoleAdmin, store.RoleSupervisor, store.RoleEnumerator:
	default:
		errs.add("role", msgAccountRole)
	}
	return f, errs
}

// createUser adds a staff account with a generated password, shown once. A refused account
// comes back with the problem next to its field and what was typed kept.
func (s *Server) createUser(c *fiber.Ctx) error {
	f, errs := newAccountForm(c)
	d := usersData{pageData: s.page(c), Form: f, Errors: errs}
	if len(errs) > 0 {
		d.Error = msgAccountRefused
		return s.renderUsers(c, fiber.StatusUnprocessableEntity, d)
	}
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	// The generated password is the administrator's: the new user chooses their own at sign-in.
	err = s.db.CreateUser(c.UserContext(), &store.User{Username: f.Username, FullName: f.FullName, Role: store.Role(f.Role), PasswordHash: hash,
		MustChangePassword: true})
	if errors.Is(err, store.ErrDuplicate) {
		errs.add("username", fmt.Sprintf(msgAccountTaken, f.Username))
		d.Error = msgAccountRefused
		return s.renderUsers(c, fiber.StatusConflict, d)
	}
	if err != nil {
		return err
	}
	d = usersData{pageData: d.pageData, NewUser: f.Username, NewPassword: pw}
	return s.renderUsers(c, fiber.StatusOK, d)
}

func (s *Server) targetUser(c *fiber.Ctx) (*store.User, error) {
	id, err := paramID(c, "user")
	if err != nil {
		return nil, err
	}
	u, err := s.db.UserByID(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	return u, err
}

// resetPassword gives an account a new generated password, shown once, and ends its sessions.
func (s *Server) resetPassword(c *fiber.Ctx) error {
	u, err := s.targetUser(c)
	if err != nil {
		return err
	}
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.db.ResetPassword(c.UserContext(), u.ID, hash, currentUser(c).ID); err != nil {
		return err
	}
	return s.renderUsers(c, fiber.StatusOK, usersData{pageData: s.page(c), NewUser: u.Username, NewPassword: pw})
}

// toggleUser disables an account or enables it again; nobody disables themselves.
func (s *Server) toggleUser(c *fiber.Ctx) error {
	u, err := s.targetUser(c)
	if err != nil {
		return err
	}
	if u.ID == currentUser(c).ID {
		return &Error{Status: fiber.StatusBadRequest, Msg: "Không thể tự khóa tài khoản của chính mình."}
	}
	if err := s.db.SetDisabled(c.UserContext(), u.ID, !u.Disabled, currentUser(c).ID); err != nil {
		return err
	}
	if u.Disabled {
		s.setFlash(c, "Đã mở lại tài khoản "+u.Username+".")
	} else {
		s.setFlash(c, "Đã khóa tài khoản "+u.Username+"; các phiên đăng nhập của tài khoản đã kết thúc.")
	}
	return c.Redirect("/users", fiber.StatusSeeOther)
}

// passwordForm is the posted password change; what was typed is never shown again.
type passwordForm struct {
	current, next, repeat string
}

// newPasswordForm copies the password change out of the request and checks the current
// password and that the new one was typed the same twice. Passwords are compared as typed, not
// normalised, like the sign-in form does.
func newPasswordForm(c *fiber.Ctx, u *store.User) (passwordForm, fieldErrors) {
	f := passwordForm{current: c.FormValue("current"), next: c.FormValue("new"), repeat: c.FormValue("repeat")}
	errs := fieldErrors{}
	if auth.CheckPassword(u.PasswordHash, f.current) != nil {
		errs.add("current", msgPasswordCurrent)
	} else if f.next != f.repeat {
		errs.add("repeat", msgPasswordRepeat)
	}
	return f, errs
}

// changeOwnPassword lets any signed-in user replace their password.
func (s *Server) changeOwnPassword(c *fiber.Ctx) error {
	u := currentUser(c)
	f, errs := newPasswordForm(c, u)
	var hash string
	if len(errs) == 0 {
		var err error
		if hash, err = auth.HashPassword(f.next); err != nil {
			errs.add("new", err.Error()) // auth's length rules, written for the person typing
		}
	}
	if len(errs) > 0 {
		return s.renderPassword(c, fiber.StatusUnprocessableEntity, passwordData{pageData: s.page(c), Errors: errs})
	}
	if err := s.db.SetPassword(c.UserContext(), u.ID, hash); err != nil {
		return err
	}
	s.setFlash(c, msgPasswordChanged)
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// passwordData is the password page's view model: the problems of a refused change by input id.
type passwordData struct {
	pageData
	Errors fieldErrors
}

func (s *Server) passwordPage(c *fiber.Ctx) error {
	return s.renderPassword(c, fiber.StatusOK, passwordData{pageData: s.page(c)})
}

func (s *Server) renderPassword(c *fiber.Ctx, status int, d passwordData) error {
	return s.renderPage(c, status, "password", d)
}
