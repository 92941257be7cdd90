import { randomBytes } from 'node:crypto';
import PocketBase from 'pocketbase';
import type { TestPocketBase } from '../../support/pocketbase';

/** The superuser client the server uses, and a way to make members (grants need a users row). */
export async function storeAdmin(pb: TestPocketBase): Promise<PocketBase> {
  const admin = new PocketBase(pb.url);
  admin.autoCancellation(false);
  await admin.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
  return admin;
}

export async function newUser(admin: PocketBase): Promise<string> {
  const password = randomBytes(12).toString('base64url');
  const u = await admin.collection('users').create({ email: `s-${randomBytes(6).toString('hex')}@example.com`, password, passwordConfirm: password, name: 'Store' });
  return u.id;
}
