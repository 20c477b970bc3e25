// The emoji offered by the picker, by category: Unicode characters drawn by the system's own
// emoji font (no picture, no web font, no outside service). Kept to common ones that every
// current phone and desktop draws (Unicode 13 and older).

const split = (text) => text.trim().split(/\s+/u);

export const EMOJI_CATEGORIES = Object.freeze([
  {
    id: "smileys",
    icon: "😀",
    emoji: split(`
      😀 😃 😄 😁 😆 😅 😂 🤣 😊 😇 🙂 🙃 😉 😌 😍 🥰 😘 😗 😙 😚 😋 😛 😝 😜
      🤪 🤨 🧐 🤓 😎 🥳 😏 😒 😞 😔 😟 😕 🙁 😣 😖 😫 😩 🥺 😢 😭 😤 😠 😡 🤯
      😳 🥵 🥶 😱 😨 😰 😥 😓 🤗 🤔 🤭 🤫 🤥 😶 😐 😑 😬 🙄 😯 😦 😧 😮 😲 🥱
      😴 🤤 😪 😵 🤐 🥴 🤢 🤮 🤧 😷 🤒 🤕 🤑 🤠 😈 👻 💀 🤖 👽 💩 🙈 🙉 🙊
    `),
  },
  {
    id: "gestures",
    icon: "👍",
    emoji: split(`
      👍 👎 👌 🤌 🤏 ✌️ 🤞 🤟 🤘 🤙 👈 👉 👆 👇 ☝️ ✋ 🤚 🖐️ 🖖 👋 🤝 🙏 💪 👏
      🙌 👐 🤲 ✍️ 💅 🤳 👀 👁️ 🧠 💋 🙋 🙆 🙅 🤷 🤦 🙇 💃 🕺 🏃 🚶 🧘
    `),
  },
  {
    id: "hearts",
    icon: "❤️",
    emoji: split(`
      ❤️ 🧡 💛 💚 💙 💜 🖤 🤍 🤎 💔 ❣️ 💕 💞 💓 💗 💖 💘 💝 💟 💯 💢 💥 💫 💦
      💨 🕳️ 💬 💭 💤 ✨ ⭐ 🌟 🔥 🎉 🎊
    `),
  },
  {
    id: "nature",
    icon: "🐶",
    emoji: split(`
      🐶 🐱 🐭 🐹 🐰 🦊 🐻 🐼 🐨 🐯 🦁 🐮 🐷 🐸 🐵 🐔 🐧 🐦 🐤 🦆 🦉 🐴 🦄 🐝
      🦋 🐌 🐞 🐢 🐍 🐙 🐠 🐬 🐳 🦈 🌸 🌹 🌻 🌼 🌷 🌱 🌲 🌴 🍀 🍁 🍂 🌈 ☀️ 🌤️
      ⛅ 🌧️ ⛈️ ❄️ ☃️ 🌊 🌙 🌍
    `),
  },
  {
    id: "food",
    icon: "🍕",
    emoji: split(`
      🍏 🍎 🍐 🍊 🍋 🍌 🍉 🍇 🍓 🍒 🍑 🥭 🍍 🥥 🥝 🍅 🥑 🥕 🌽 🥐 🥖 🧀 🥚 🍳
      🥞 🥓 🍗 🍔 🍟 🍕 🌭 🥪 🌮 🌯 🥗 🍝 🍜 🍣 🍦 🍰 🎂 🧁 🍫 🍬 🍩 🍪 ☕ 🍵
      🍺 🍻 🍷 🥂 🍾 🍹
    `),
  },
  {
    id: "activities",
    icon: "⚽",
    emoji: split(`
      ⚽ 🏀 🏈 ⚾ 🎾 🏐 🏉 🎱 🏓 🏸 🥊 ⛷️ 🏂 🏄 🚴 🏊 🏆 🥇 🎮 🕹️ 🎲 🎯 🎳 🧩
      🎸 🎹 🎺 🎻 🥁 🎤 🎧 🎬 🎨 📚 ✈️ 🚗 🚲 🚆 🚀 🏖️ 🏕️ 🏠 🎁 🎈 💡 📱 💻 ⏰
      📷 🎵 🎶 ✅ ❌ ❓ ❗
    `),
  },
]);
