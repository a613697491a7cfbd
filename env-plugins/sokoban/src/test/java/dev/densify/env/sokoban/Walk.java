package dev.densify.env.sokoban;

import java.util.List;

/** The rules of a move, written out again in the plainest way, to check the solver and the environment against. */
final class Walk {
    private Walk() {
    }

    static long move(Room room, long position, Move move) {
        int player = room.player(position);
        long boxes = Room.boxes(position);
        int next = room.neighbour(player, move);
        if (room.isWall(next)) {
            return position;
        }
        if ((boxes & room.bit(next)) == 0) {
            return room.position(boxes, next);
        }
        int beyond = room.neighbour(next, move);
        if (room.isWall(beyond) || (boxes & room.bit(beyond)) != 0) {
            return position;
        }
        return room.position(boxes - room.bit(next) + room.bit(beyond), next);
    }

    static long follow(Room room, long position, List<Move> moves) {
        for (Move move : moves) {
            position = move(room, position, move);
        }
        return position;
    }
}
