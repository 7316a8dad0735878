package web

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

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
	// Roles are the roles an account may be given; Campaigns those it may be limited to.
	Roles, NewRoles []store.Role
	Campaigns       []store.CampaignSummary
	// Scope is a refused scope change as typed, for the account ScopeUser, with its problem.
	Scope      scopeForm
	ScopeUser  int64
	ScopeError string
	// Events are the latest account events and sign-ins, as sentences.
	Events []auditRow
}

// accountEvents are the action prefixes of the account events shown on the account page.
var accountEvents = []string{"user."}

// accountEventsShown is how many account events the account page lists; the audit page has
// them all.
const accountEventsShown = 20

func (s *Server) usersPage(c *fiber.Ctx) error {
	return s.renderUsers(c, fiber.StatusOK, usersData{pageData: s.page(c)})
}

func (s *Server) renderUsers(c *fiber.Ctx, status int, d usersData) error {
	var err error
	ctx := c.UserContext()
	if d.Users, err = s.db.Users(ctx, ""); err != nil {
		return err
	}
	if d.Campaigns, err = s.db.Campaigns(ctx); err != nil {
		return err
	}
	d.Roles = store.Roles
	// A new account's role is chosen from the narrowest up, so that one left as it came is
	// an enumerator's, never an administrator's.
	d.NewRoles = []store.Role{store.RoleEnumerator, store.RoleViewer, store.RoleSupervisor, store.RoleAnalyst, store.RoleAdmin}
	entries, err := s.db.AuditEntries(ctx, store.AuditFilter{Actions: accountEvents, Limit: accountEventsShown})
	if err != nil {
		return err
	}
	names := auditNames{users: map[int64]store.User{}}
	for _, u := range d.Users {
		names.users[u.ID] = u
	}
	d.Events = auditRows(entries, names)
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
	if !store.Role(f.Role).Valid() {
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

// changeRole gives an account another role; its sessions end. Nobody changes their own role,
// so that the last administrator cannot demote themselves by mistake.
func (s *Server) changeRole(c *fiber.Ctx) error {
	u, err := s.targetUser(c)
	if err != nil {
		return err
	}
	role := store.Role(postedText(c, "role"))
	switch {
	case u.ID == currentUser(c).ID:
		return &Error{Status: fiber.StatusBadRequest, Msg: msgRoleOwn}
	case !role.Valid():
		return &Error{Status: fiber.StatusUnprocessableEntity, Msg: msgAccountRole}
	}
	if role != u.Role {
		if err := s.db.SetRole(c.UserContext(), u.ID, role, currentUser(c).ID); err != nil {
			return err
		}
	}
	s.setFlash(c, fmt.Sprintf(msgRoleChanged, u.Username, role.Label()))
	return c.Redirect("/users", fiber.StatusSeeOther)
}

// scopeForm is a posted scope: an organisation and the campaigns chosen, as typed.
type scopeForm struct {
	Organisation string
	Campaigns    []int64
}

// Has reports whether the form chose a campaign, for the template's check boxes.
func (f scopeForm) Has(id int64) bool { return slices.Contains(f.Campaigns, id) }

// changeScope limits an account to the campaigns of one organisation and to those ticked, or
// lifts the limits when neither is given. A refused scope comes back as typed.
func (s *Server) changeScope(c *fiber.Ctx) error {
	u, err := s.targetUser(c)
	if err != nil {
		return err
	}
	f := scopeForm{Organisation: postedText(c, "organisation")}
	errs := fieldErrors{}
	errs.checkText("organisation", f.Organisation, 200)
	args := c.Request().PostArgs()
	for _, v := range args.PeekMulti("campaign") {
		id, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil || id <= 0 {
			errs.add("campaign", msgScopeCampaign)
			continue
		}
		f.Campaigns = append(f.Campaigns, id)
	}
	if len(errs) == 0 {
		err = s.db.SetScope(c.UserContext(), u.ID, f.Organisation, f.Campaigns, currentUser(c).ID)
		if errors.Is(err, store.ErrNotFound) {
			errs.add("campaign", msgScopeCampaign)
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		var msg string
		for _, m := range errs {
			msg = m
		}
		return s.renderUsers(c, fiber.StatusUnprocessableEntity, usersData{pageData: s.page(c), Scope: f, ScopeUser: u.ID,
			ScopeError: msg, Error: fmt.Sprintf(msgScopeRefused, u.Username)})
	}
	if f.Organisation == "" && len(f.Campaigns) == 0 {
		s.setFlash(c, fmt.Sprintf(msgScopeAll, u.Username))
	} else {
		s.setFlash(c, fmt.Sprintf(msgScopeSet, u.Username))
	}
	return c.Redirect("/users", fiber.StatusSeeOther)
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
		return &Error{Status: fiber.StatusBadRequest, Msg: msgDisableOwn}
	}
	if err := s.db.SetDisabled(c.UserContext(), u.ID, !u.Disabled, currentUser(c).ID); err != nil {
		return err
	}
	if u.Disabled {
		s.setFlash(c, fmt.Sprintf(msgEnabled, u.Username))
	} else {
		s.setFlash(c, fmt.Sprintf(msgDisabled, u.Username))
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

// Words of the account page.
const (
	msgRoleOwn       = "Không thể tự đổi vai trò của chính mình; hãy nhờ một quản trị khác."
	msgRoleChanged   = "Tài khoản %s nay có vai trò “%s”; các phiên đăng nhập của tài khoản đã kết thúc."
	msgScopeCampaign = "Đợt khảo sát được chọn không còn tồn tại; vui lòng tải lại trang rồi chọn lại."
	msgScopeRefused  = "Chưa đổi được phạm vi của tài khoản %s — vui lòng xem lại mục báo lỗi."
	msgScopeAll      = "Tài khoản %s nay xem được mọi đợt khảo sát."
	msgScopeSet      = "Đã giới hạn phạm vi của tài khoản %s; từ lần mở trang tiếp theo, tài khoản chỉ thấy các đợt khảo sát trong phạm vi."
	msgDisableOwn    = "Không thể tự khóa tài khoản của chính mình."
	msgEnabled       = "Đã mở lại tài khoản %s."
	msgDisabled      = "Đã khóa tài khoản %s; các phiên đăng nhập của tài khoản đã kết thúc."
)
