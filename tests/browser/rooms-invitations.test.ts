import type { Page } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { createDb } from '../../sync-server/src/pocketbase/admin-client';
import { openBrowser, signUpInBrowser, type TestBrowser } from '../support/browser';
import { newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// Co-coach invitations in the built PWA (issue 11, defect 9): the owner invites by email on the
// control page and sees it pending; the invitee accepts on their own Class page; only then is
// the invitee a co-coach.
const server = useTestServer();
const browsers: TestBrowser[] = [];

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
});

const tid = (page: Page, id: string) => page.getByTestId(id);

async function newPage() {
  const b = await openBrowser({ viewport: { width: 390, height: 844 } });
  browsers.push(b);
  return b.context.pages()[0] ?? (await b.context.newPage());
}

it('the owner invites by email; the invitee accepts from their own account', async () => {
  const owner = await newPage();
  const ownerM = newMember('owner');
  await signUpInBrowser(owner, server.url, ownerM);
  await tid(owner, 'nav-class').click();
  await tid(owner, 'room-name').fill('Thursday Spin');
  await tid(owner, 'room-create').click();
  await owner.waitForURL(/\/rooms\/[a-z0-9]{15}$/);

  const helperM = newMember('helper');
  await tid(owner, 'cocoach-email').fill(helperM.email);
  await tid(owner, 'cocoach-add').click();
  await expect.poll(() => tid(owner, 'cocoach-invitation').first().textContent()).toContain(helperM.email.toLowerCase());
  await expect(tid(owner, 'cocoach-row').count()).resolves.toBe(0);

  // The invitee registers (confirming the address as the mailed link would) and answers.
  const helper = await newPage();
  await signUpInBrowser(helper, server.url, helperM);
  const db = createDb(server.pb.url, server.pb.superuser);
  await db.connect();
  const user = await db.pb.collection('users').getFirstListItem<{ id: string }>(db.pb.filter('email = {:e}', { e: helperM.email.toLowerCase() }));
  await db.pb.collection('users').update(user.id, { verified: true });
  await tid(helper, 'nav-class').click();
  await expect.poll(() => tid(helper, 'room-invitation').first().textContent()).toContain('Thursday Spin');
  await tid(helper, 'invitation-accept').click();
  await expect.poll(() => tid(helper, 'room-link').first().textContent()).toContain('Co-coach');
  await expect(tid(helper, 'room-invitation').count()).resolves.toBe(0);

  await owner.reload();
  await expect.poll(() => tid(owner, 'cocoach-row').first().textContent()).toContain(helperM.name);
  await expect(tid(owner, 'cocoach-invitation').count()).resolves.toBe(0);
});
