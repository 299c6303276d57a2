//! QR codes and printable posters for desks.
