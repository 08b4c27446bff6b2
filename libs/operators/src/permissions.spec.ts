import { Permission, permissionsOf, Role, ROLE_PERMISSIONS } from './permissions';

describe('the role → permission table', () => {
  it('gives a viewer reading only, never replay, edit or unmasked data', () => {
    expect(permissionsOf([Role.VIEWER])).toEqual([Permission.READ_FAILED_MESSAGES, Permission.READ_ACCESS_RIGHTS, Permission.READ_OPERATIONAL_RECORDS]);
  });

  it('keeps edit apart from operator, and unmask, access and accounts for admins', () => {
    const operator = permissionsOf([Role.OPERATOR]);
    expect(operator).toEqual(expect.arrayContaining([Permission.REPLAY, Permission.RESOLVE, Permission.DISCARD, Permission.BULK_JOBS]));
    expect(operator).not.toContain(Permission.EDIT);
    expect(permissionsOf([Role.EDITOR])).toContain(Permission.EDIT);
    expect(permissionsOf([Role.EDITOR])).not.toContain(Permission.REPLAY);
    for (const role of [Role.VIEWER, Role.OPERATOR, Role.EDITOR, Role.AUDITOR]) {
      expect(ROLE_PERMISSIONS[role]).not.toContain(Permission.UNMASK);
      expect(ROLE_PERMISSIONS[role]).not.toContain(Permission.MANAGE_ACCESS_RIGHTS);
      expect(ROLE_PERMISSIONS[role]).not.toContain(Permission.MANAGE_ACCOUNTS);
    }
    expect(permissionsOf([Role.ADMIN])).toEqual(expect.arrayContaining([Permission.UNMASK, Permission.MANAGE_ACCESS_RIGHTS, Permission.EXPORT_AUDIT]));
  });

  it('unites the permissions of several roles once each', () => {
    const both = permissionsOf([Role.OPERATOR, Role.EDITOR]);
    expect(both).toEqual(expect.arrayContaining([Permission.REPLAY, Permission.EDIT]));
    expect(new Set(both).size).toBe(both.length);
  });
});
