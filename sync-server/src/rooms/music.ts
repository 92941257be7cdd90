import type { MusicCommand } from '../../../core/rooms';
import { AppError } from '../http/errors';
import type { Ok } from '../spotify/player';
import { problem, type Problem } from '../spotify/problems';
import type { NowPlayingView, SpotifyService } from '../spotify/service';
import type { RoomService } from './service';
import type { RoomStore } from './store';

/**
 * The room's music is its owner's Spotify (the coach who created the room). Displays read it
 * with their display token; the coach and co-coaches (exactly who may run the timer) read it
 * and control it. Everything goes through the owner's grant in the Spotify service: this file
 * never sees a Spotify token, and answers carry states only.
 *
 * Screens poll `GET /rooms/:id/music` (every few seconds, like the workout bar) rather than
 * getting pushes over the live channel. The answer comes from the service's shared now-playing
 * cache in PocketBase (one Spotify call per NOW_PLAYING_TTL_MS per owner, however many displays
 * and server processes ask), so each request stands alone. Pushing would need one process to
 * own a Spotify polling loop per room (a timer in memory, handed over when that process or its
 * sockets go away): state in memory that correctness would depend on.
 *
 * Access problems are AppErrors with the rooms API's codes (another member's room, or a token
 * that is not this room's display, is `not_found`); Spotify outcomes are returned as Problems.
 */
export interface RoomMusicDeps {
  service: RoomService;
  store: RoomStore;
  spotify: SpotifyService | null;
}

export function createRoomMusic(deps: RoomMusicDeps) {
  const { service, store, spotify } = deps;
  const notFound = () => new AppError('not_found', 'No such room.');

  /** The owner's now playing with the device (class screens show where the music plays). */
  const read = (ownerId: string): Promise<NowPlayingView | Problem> => (spotify ? spotify.nowPlaying(ownerId, 'player') : Promise.resolve(problem('not_configured')));

  async function ownerForCoach(roomId: string, userId: string): Promise<string> {
    return (await service.coachRoom(roomId, userId)).owner;
  }

  return {
    async forDisplay(roomId: string, displayToken: string): Promise<NowPlayingView | Problem> {
      const display = await service.authenticateDisplay(roomId, displayToken);
      const room = display ? await store.room(roomId) : null;
      if (!room) throw notFound();
      return read(room.owner);
    },

    async forCoach(roomId: string, userId: string): Promise<NowPlayingView | Problem> {
      return read(await ownerForCoach(roomId, userId));
    },

    /** Play resumes what was playing (a redundant play or pause is a success, as in player.ts). */
    async command(roomId: string, userId: string, command: MusicCommand): Promise<Ok | Problem> {
      const owner = await ownerForCoach(roomId, userId);
      return spotify ? spotify.player.command(owner, command) : problem('not_configured');
    },

    async setVolume(roomId: string, userId: string, percent: number): Promise<Ok | Problem> {
      const owner = await ownerForCoach(roomId, userId);
      return spotify ? spotify.player.setVolume(owner, percent) : problem('not_configured');
    },
  };
}

export type RoomMusicService = ReturnType<typeof createRoomMusic>;
