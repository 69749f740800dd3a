// The benchmark peers ship no typings; the few members used are described where they are used.
declare module 'coinselect';
declare module 'bitcore-lib';
