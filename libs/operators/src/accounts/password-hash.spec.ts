import { hashPassword, isPasswordHash, verifyPassword } from './password-hash';

describe('break-glass password hashes (scrypt)', () => {
  it('verifies the password it was made from and nothing else, with a fresh salt each time', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(isPasswordHash(hash)).toBe(true);
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });

  it('refuses weak or malformed hashes', async () => {
    expect(isPasswordHash('$scrypt$ln=10,r=8,p=1$AAAA$AAAA')).toBe(false);
    expect(isPasswordHash('plain-text')).toBe(false);
    expect(await verifyPassword('x', '$scrypt$ln=15,r=8,p=3$AAAA$AAAA')).toBe(false);
  });
});
