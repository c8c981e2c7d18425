"""``loopwise user``, ``loopwise token`` and ``loopwise visibility``: accounts from the CLI.

There is no default account and no default password: the first user is made here, usually
an admin (owner of every map, including the built-in one):

    $ loopwise user add ana --admin           # asks for the password twice
    $ loopwise user grant bob breaking-the-cycle editor
    $ loopwise token create ana --name nightly-import   # prints the token once
    $ loopwise token revoke 3
    $ loopwise visibility breaking-the-cycle private
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from loopwise.cli.common import (
    AuthorOpt,
    MapArg,
    author_name,
    clean_errors,
    console,
    escape_markup,
    fail,
    open_cli_store,
)
from loopwise.cli.output import FormatOpt, check_format, print_table, write_rows

if TYPE_CHECKING:
    from loopwise.accounts.service import Accounts

user_app = typer.Typer(help="Users and their roles on maps.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts (hashed at rest, revocable).",
                        no_args_is_help=True)  # fmt: skip

UserArg = Annotated[str, typer.Argument(help="The user's name.")]
PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]


def _accounts() -> Accounts:
    from loopwise.accounts.service import Accounts

    return Accounts(open_cli_store())


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
@clean_errors
def user_add(
    name: UserArg,
    admin: Annotated[bool, typer.Option("--admin", help="Owner of every map.")] = False,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user (asks for the password; there is no default)."""
    user = _accounts().add_user(name, _read_password(password_stdin), admin=admin)
    console.print(f"created user {escape_markup(user.name)}" + (" (admin)" if admin else ""))


@user_app.command("list")
@clean_errors
def user_list(format: FormatOpt = "table") -> None:
    """List the users."""
    check_format(format)
    rows: list[dict[str, Any]] = [
        {"name": u.name, "admin": u.is_admin, "created": u.created_at}
        for u in _accounts().list_users()
    ]
    if write_rows(format, {"users": rows}, rows):
        return
    table = Table("name", "admin", "created")
    for row in rows:
        table.add_row(escape_markup(row["name"]), "yes" if row["admin"] else "",
                      f"{row['created']:%Y-%m-%d %H:%M}")  # fmt: skip
    print_table(table)


@user_app.command("passwd")
@clean_errors
def user_passwd(name: UserArg, password_stdin: PasswordStdin = False) -> None:
    """Set a user's password (signs them out everywhere and revokes their API tokens)."""
    _accounts().set_password(name, _read_password(password_stdin))
    console.print(
        f"password of {escape_markup(name)} changed; their sessions have ended and their API "
        "tokens are revoked"
    )


@user_app.command("remove")
@clean_errors
def user_remove(name: UserArg) -> None:
    """Delete a user, their sessions, tokens and roles (revisions keep their name)."""
    _accounts().remove_user(name)
    console.print(f"removed user {escape_markup(name)}")


@user_app.command("grant")
@clean_errors
def user_grant(
    name: UserArg,
    map_slug: MapArg,
    role: Annotated[str, typer.Argument(help="owner, editor or viewer.")],
) -> None:
    """Give a user a role on a map (replacing the one they had)."""
    _accounts().grant(map_slug, name, role)
    console.print(f"{escape_markup(name)} is now {role} of {map_slug}")


@user_app.command("revoke")
@clean_errors
def user_revoke(name: UserArg, map_slug: MapArg) -> None:
    """Take away a user's role on a map."""
    _accounts().revoke(map_slug, name)
    console.print(f"{escape_markup(name)} has no role on {map_slug} any more")


@user_app.command("members")
@clean_errors
def user_members(map_slug: MapArg, format: FormatOpt = "table") -> None:
    """List a map's members and their roles (admins are owners of every map)."""
    check_format(format)
    rows = [{"user": name, "role": role} for name, role in _accounts().members(map_slug)]
    if write_rows(format, {"members": rows}, rows):
        return
    table = Table("user", "role")
    for row in rows:
        table.add_row(escape_markup(row["user"]), row["role"])
    print_table(table)


@token_app.command("create")
@clean_errors
def token_create(
    user: UserArg,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "",
) -> None:
    """Create an API token; it is printed once (send it as ``Authorization: Bearer ...``)."""
    secret = _accounts().create_token(user, name)
    console.print(secret, markup=False, highlight=False, soft_wrap=True)


@token_app.command("list")
@clean_errors
def token_list(
    user: Annotated[str | None, typer.Argument(help="Only this user's.")] = None,
    format: FormatOpt = "table",
) -> None:
    """List API tokens (never their secrets)."""
    check_format(format)
    rows: list[dict[str, Any]] = [
        {"id": t.id, "user": t.user, "name": t.name, "created": t.created_at,
         "revoked": t.revoked_at}
        for t in _accounts().list_tokens(user)
    ]  # fmt: skip
    if write_rows(format, {"tokens": rows}, rows):
        return
    table = Table("id", "user", "name", "created", "revoked")
    for row in rows:
        table.add_row(
            str(row["id"]), escape_markup(row["user"]), escape_markup(row["name"]),
            f"{row['created']:%Y-%m-%d %H:%M}",
            f"{row['revoked']:%Y-%m-%d %H:%M}" if row["revoked"] else "",
        )  # fmt: skip
    print_table(table)


@token_app.command("revoke")
@clean_errors
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The id from `token list`.")],
) -> None:
    """Revoke an API token for good."""
    _accounts().revoke_token(token_id)
    console.print(f"token {token_id} revoked")


@clean_errors
def visibility_command(
    map_slug: MapArg,
    visibility: Annotated[
        str | None, typer.Argument(help="public or private (omit to show it).")
    ] = None,
    author: AuthorOpt = None,
) -> None:
    """Show or set whether a map is public or private (members only)."""
    store = open_cli_store()
    map_ = store.get_map(map_slug)
    if visibility is None:
        console.print(f"{map_slug} is {map_.visibility}")
        return
    if visibility not in ("public", "private"):
        raise fail(f"visibility must be public or private, got {visibility!r}")
    store.save_map(
        map_.model_copy(update={"visibility": visibility}),
        author=author_name(author),
        based_on=store.version(map_slug),
        message=f"make {visibility}",
        settings=True,
    )
    console.print(f"{map_slug} is now {visibility}")
