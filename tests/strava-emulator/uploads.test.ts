import { describe, expect, it } from 'vitest';
import { STATUS_ERROR, STATUS_PROCESSING, STATUS_READY } from './uploads';
import { setup, type UploadView } from './test-support';

describe('POST /api/v3/uploads and GET /api/v3/uploads/{id}', () => {
  it('accepts a multipart file, processes it asynchronously and then names the activity', async () => {
    const h = setup();
    const t = await h.login();
    const res = await h.upload(t.access_token, 'FIT-1', { external_id: 'hrm-s1', name: 'Intervals', description: '5 x 3 min', trainer: '1' });
    expect(res.status).toBe(201);
    const u = (await res.json()) as UploadView;
    expect(u).toMatchObject({ external_id: 'hrm-s1', error: null, status: STATUS_PROCESSING, activity_id: null, id_str: String(u.id) });
    expect(((await (await h.poll(t.access_token, u.id)).json()) as UploadView).status).toBe(STATUS_PROCESSING);
    h.clock.advance(2_000);
    const done = (await (await h.poll(t.access_token, u.id)).json()) as UploadView;
    expect(done).toMatchObject({ status: STATUS_READY, error: null });
    expect(done.activity_id).toBeGreaterThan(0);
    const activity = await h.app.request(`/api/v3/activities/${done.activity_id}`, { headers: { Authorization: `Bearer ${t.access_token}` } });
    expect(await activity.json()).toMatchObject({ external_id: 'hrm-s1', name: 'Intervals', description: '5 x 3 min', trainer: true });
  });

  it('an identical file is refused as a duplicate naming the existing activity', async () => {
    const h = setup();
    const t = await h.login();
    const first = (await (await h.upload(t.access_token, 'SAME', { external_id: 'a' })).json()) as UploadView;
    h.clock.advance(2_000);
    const activityId = ((await (await h.poll(t.access_token, first.id)).json()) as UploadView).activity_id;
    const second = (await (await h.upload(t.access_token, 'SAME', { external_id: 'b' })).json()) as UploadView;
    h.clock.advance(2_000);
    const dup = (await (await h.poll(t.access_token, second.id)).json()) as UploadView;
    expect(dup).toMatchObject({ status: STATUS_ERROR, activity_id: null, error: `ride.fit duplicate of activity ${activityId}` });
    const activities = (await (await h.control('/activities')).json()) as unknown[];
    expect(activities).toHaveLength(1);
  });

  it('two identical files uploaded before either is processed make one activity', async () => {
    const h = setup();
    const t = await h.login();
    const a = (await (await h.upload(t.access_token, 'TWIN')).json()) as UploadView;
    const b = (await (await h.upload(t.access_token, 'TWIN')).json()) as UploadView;
    h.clock.advance(2_000);
    const va = (await (await h.poll(t.access_token, a.id)).json()) as UploadView;
    const vb = (await (await h.poll(t.access_token, b.id)).json()) as UploadView;
    expect(va.status).toBe(STATUS_READY);
    expect(vb.error).toBe(`ride.fit duplicate of activity ${va.activity_id}`);
  });

  it('refuses a bad data_type, a missing file and a token without activity:write', async () => {
    const h = setup();
    const t = await h.login();
    const bad = await h.upload(t.access_token, 'x', { data_type: 'csv' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: 'Bad Request', errors: [{ resource: 'Upload', field: 'data_type', code: 'invalid' }] });
    for (const dt of ['fit.gz', 'tcx', 'tcx.gz', 'gpx', 'gpx.gz']) expect((await h.upload(t.access_token, `x-${dt}`, { data_type: dt })).status).toBe(201);
    const form = new FormData();
    form.set('data_type', 'fit');
    expect((await h.app.request('/api/v3/uploads', { method: 'POST', body: form, headers: { Authorization: `Bearer ${t.access_token}` } })).status).toBe(400);
    const readOnly = await h.login(8, 'read');
    const denied = await h.upload(readOnly.access_token, 'y');
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({ message: 'Authorization Error', errors: [{ resource: 'AccessToken', field: 'activity:write_permission', code: 'missing' }] });
  });

  it('counts polls of one upload closer together than a second', async () => {
    const h = setup();
    const t = await h.login();
    const u = (await (await h.upload(t.access_token, 'P')).json()) as UploadView;
    await h.poll(t.access_token, u.id);
    await h.poll(t.access_token, u.id);
    h.clock.advance(1_000);
    await h.poll(t.access_token, u.id);
    const [row] = (await (await h.control('/uploads')).json()) as { fastPolls: number }[];
    expect(row!.fastPolls).toBe(1);
  });

  it('an upload of another athlete is not found', async () => {
    const h = setup();
    const a = await h.login(7);
    const b = await h.login(8);
    const u = (await (await h.upload(a.access_token, 'Q')).json()) as UploadView;
    expect((await h.poll(b.access_token, u.id)).status).toBe(404);
  });

  it('GET /athlete/activities lists the athlete\'s activities with external_id and upload_id, newest first', async () => {
    const h = setup();
    const t = await h.login();
    const other = await h.login(8);
    await h.upload(t.access_token, 'ONE', { external_id: 'hrm-1.fit' });
    await h.upload(t.access_token, 'TWO', { external_id: 'hrm-2.fit' });
    await h.upload(other.access_token, 'THREE', { external_id: 'hrm-3.fit' });
    h.clock.advance(2_000);
    const res = await h.app.request('/api/v3/athlete/activities?after=0&per_page=10', { headers: { Authorization: `Bearer ${t.access_token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-readratelimit-usage')).toBeTruthy();
    const list = (await res.json()) as { external_id: string; upload_id: number }[];
    expect(list.map((a) => a.external_id)).toEqual(['hrm-2.fit', 'hrm-1.fit']);
    expect(list[0]!.upload_id).toBeGreaterThan(0);
  });
});
